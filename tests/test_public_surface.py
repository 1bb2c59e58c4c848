"""Every public module shows its API and nothing else.

A public module is one whose dotted name has no part starting with ``_``.
``dir()`` of each shows only the names in its ``__all__``, its submodules, and
the module's own dunder attributes: no import leftovers (``annotations``,
``Iterator``, ``find_spec``) and no private helpers, so that tab completion
and ``help()`` show the API. The modules are found by walking the package, so
a new one is checked without editing this file.
"""

from __future__ import annotations

import importlib
import pkgutil
import types

import pytest

import sse_core


def public_modules() -> list[str]:
    names = ["sse_core"]
    for info in pkgutil.walk_packages(sse_core.__path__, "sse_core."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return sorted(names)


def test_the_public_modules_are_found() -> None:
    # The walk must see the known ones, or the tests below check too little.
    expected = {
        "sse_core",
        "sse_core.endpoints",
        "sse_core.stainless",
        "sse_core.transports",
        *(
            f"sse_core.transports.{name}"
            for name in (
                "aiohttp",
                "asyncio",
                "httpx",
                "requests",
                "trio",
                "urllib",
                "urllib3",
            )
        ),
    }
    assert expected <= set(public_modules())


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


@pytest.mark.parametrize("name", public_modules())
def test_dir_shows_only_all_and_submodules(name: str) -> None:
    module = importlib.import_module(name)
    exported = set(module.__all__)
    # Its submodules: those imported, and for a package every one it holds
    # (a lazy package may list them before they are imported).
    submodules = {
        attr
        for attr, value in vars(module).items()
        if isinstance(value, types.ModuleType) and value.__name__ == f"{name}.{attr}"
    }
    submodules.update(
        info.name for info in pkgutil.iter_modules(getattr(module, "__path__", []))
    )
    shown = {attr for attr in dir(module) if not _is_dunder(attr)}
    assert shown - exported - submodules == set()


@pytest.mark.parametrize("name", public_modules())
def test_all_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    missing = [attr for attr in module.__all__ if not hasattr(module, attr)]
    assert missing == []
    assert len(set(module.__all__)) == len(module.__all__)
