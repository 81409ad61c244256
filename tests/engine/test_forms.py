from django.http import QueryDict

from guichet.engine.definitions import definition_parse
from guichet.engine.forms import PageForm

DEFINITION = definition_parse(
    {
        "fields": [
            {"name": "sells_drinks", "type": "yes_no", "label": "Buvette", "required": True},
            {
                "name": "licence_number",
                "type": "text",
                "label": "Numéro d'autorisation",
                "required": True,
                "show_if": {"field": "sells_drinks", "equals": True},
            },
            {"name": "phone", "type": "phone", "label": "Téléphone"},
            {
                "name": "volunteers",
                "type": "group",
                "label": "Responsables",
                "fields": [
                    {"name": "name", "type": "text", "label": "Nom"},
                    {"name": "phone", "type": "phone", "label": "Téléphone"},
                ],
            },
        ],
        "workflow": {"statuses": [{"code": "submitted"}]},
    }
)
PAGE = DEFINITION.pages[0]


def _post(**values: str) -> QueryDict:
    data = QueryDict(mutable=True)
    data.update(
        {
            "volunteers-TOTAL_FORMS": "0",
            "volunteers-INITIAL_FORMS": "0",
            "volunteers-MIN_NUM_FORMS": "0",
            "volunteers-MAX_NUM_FORMS": "20",
        }
    )
    data.update(values)
    return data


def test_page_form__hidden_conditional_field_is_not_required_and_stored_as_none():
    form = PageForm(page=PAGE, answers={}, data=_post(sells_drinks="no", licence_number="X-1"))

    assert form.is_valid() is True
    assert form.valid_answers() == {
        "sells_drinks": False,
        "licence_number": None,
        "phone": "",
        "volunteers": [],
    }


def test_page_form__shown_conditional_field_is_required():
    form = PageForm(page=PAGE, answers={}, data=_post(sells_drinks="yes"))

    assert form.is_valid() is False
    assert list(form.form.errors) == ["licence_number"]
    assert form.valid_answers()["sells_drinks"] is True
    assert "licence_number" not in form.valid_answers()


def test_page_form__normalises_phone_numbers():
    form = PageForm(page=PAGE, answers={}, data=_post(sells_drinks="no", phone="+33612345678"))

    assert form.is_valid() is True
    assert form.valid_answers()["phone"] == "06 12 34 56 78"


def test_page_form__group_rows_are_cleaned_and_empty_rows_dropped():
    data = _post(
        sells_drinks="no",
        **{
            "volunteers-TOTAL_FORMS": "3",
            "volunteers-0-name": "Aline",
            "volunteers-0-phone": "06 11 22 33 44",
            "volunteers-1-name": "",
            "volunteers-1-phone": "",
            "volunteers-2-name": "Bruno",
            "volunteers-2-phone": "",
        },
    )
    form = PageForm(page=PAGE, answers={}, data=data)

    assert form.is_valid() is True
    assert form.valid_answers()["volunteers"] == [
        {"name": "Aline", "phone": "06 11 22 33 44"},
        {"name": "Bruno", "phone": ""},
    ]


def test_page_form__invalid_group_row_is_an_error():
    data = _post(
        sells_drinks="no",
        **{"volunteers-TOTAL_FORMS": "1", "volunteers-0-name": "A", "volunteers-0-phone": "12"},
    )
    form = PageForm(page=PAGE, answers={}, data=data)

    assert form.is_valid() is False
    assert form.errors_count == 1
    assert "volunteers" not in form.valid_answers()


def test_page_form__initial_values_come_from_stored_answers():
    form = PageForm(page=PAGE, answers={"sells_drinks": True, "licence_number": "L-7"})

    assert form.form.initial == {"sells_drinks": "yes", "licence_number": "L-7"}


def test_page_form__a_text_answer_yes_or_no_stays_text():
    page = definition_parse(
        {
            "fields": [
                {"name": "nickname", "type": "text", "label": "Surnom"},
                {
                    "name": "answer",
                    "type": "choice",
                    "label": "Réponse",
                    "choices": ["yes", "no", "maybe"],
                },
                {"name": "agrees", "type": "yes_no", "label": "D'accord"},
            ],
            "workflow": {"statuses": [{"code": "submitted"}]},
        }
    ).pages[0]
    form = PageForm(page=page, answers={}, data=QueryDict("nickname=no&answer=yes&agrees=no"))

    assert form.is_valid() is True
    assert form.valid_answers() == {"nickname": "no", "answer": "yes", "agrees": False}
