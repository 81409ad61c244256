import io

import pypdf

from guichet.documents.pdf import pdf_render


def test_pdf_render__receipt_names_the_case_and_its_tracking_code(filed_case):
    from guichet.engine.tasks import case_pdf

    content = case_pdf(case=filed_case, document="receipt")

    assert content.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert filed_case.number in text
    assert filed_case.tracking_code in text


def test_pdf_render__fetches_no_external_resource(tmp_path, settings):
    (tmp_path / "doc.html").write_text(
        '<html><body><img src="http://example.invalid/x.png"><p>Bonjour</p></body></html>'
    )
    settings.TEMPLATES = [
        {"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [tmp_path]}
    ]

    content = pdf_render(template="doc.html", context={})

    text = pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert text.strip() == "Bonjour"
