"""Password policy: agents hold many people's data, their passwords are longer and mixed."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

AGENT_MIN_LENGTH = 14


class AgentPasswordValidator:
    """Agents and administrators: at least 14 characters from at least 3 kinds (lower case,
    upper case, digits, others). Residents keep Django's validators."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None) or not user.is_agent:
            return
        kinds = sum(
            bool(re.search(pattern, password))
            for pattern in (r"[a-z]", r"[A-Z]", r"\d", r"[^a-zA-Z\d]")
        )
        if len(password) < AGENT_MIN_LENGTH or kinds < 3:
            raise ValidationError(
                _(
                    "Le mot de passe d'un agent compte au moins %(min)s caractères de trois "
                    "sortes parmi minuscules, majuscules, chiffres et autres signes."
                )
                % {"min": AGENT_MIN_LENGTH},
                code="agent_password_weak",
            )

    def get_help_text(self) -> str:
        return _(
            "Agents : au moins %(min)s caractères de trois sortes parmi minuscules, "
            "majuscules, chiffres et autres signes."
        ) % {"min": AGENT_MIN_LENGTH}
