"""Each domain's share of the demo, one module per domain.

A module here defines `seed(authority, people)`; `seed_demo` calls every module's
`seed` for each demo authority, in name order, after the people and procedures
exist. Each `seed` must be idempotent, like the command.
"""

import importlib
import pkgutil
from collections.abc import Callable
from types import ModuleType
from typing import Any


def seeders() -> list[tuple[str, Callable[..., Any]]]:
    modules: list[ModuleType] = [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
    ]
    return [(module.__name__.rsplit(".", 1)[-1], module.seed) for module in modules]
