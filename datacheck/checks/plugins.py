"""Plug-in check families: installed Python packages that add a family through the `datacheck.checks` entry
point group, for what no expression can say (a checksum, a lookup in another system).

A schema names a plug-in and its options: `"plugins": [{"name": "checksum", "options": {"column": "iban"}}]`.
The entry point of that name (in any installed distribution's entry_points.txt,
`[datacheck.checks] checksum = package.module:factory`) is loaded, and `factory(options)` returns a
`CheckFamily`, with the same interface as the built-in families (`datacheck.checks.family`): row tests,
frame work, judging from rows or from statistics. Its anomaly codes are namespaced by the plug-in's name
("checksum.mismatch"), so that they never take a built-in code's meaning, and it reports under one check named
after it ("checksum"), so that every output format can group its findings.

A schema names plug-ins; it never brings code: only distributions already installed can be loaded, and an
unknown name is an error naming the installed ones.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

from datacheck.checks.family import Anomaly, CheckFamily
from datacheck.checks.registry import CHECK_ORDER
from datacheck.errors import UsageError
from datacheck.schema import Schema

GROUP = "datacheck.checks"


def installed() -> dict[str, Any]:
    """The plug-ins installed, by name: their entry points (not loaded)."""
    return {ep.name: ep for ep in sorted(entry_points(group=GROUP), key=lambda ep: ep.name)}


def load_plugins(schema: Schema) -> tuple[CheckFamily, ...]:
    """The families of the plug-ins the schema names, built with their options.

    Raises:
        UsageError: a plug-in that is not installed (the message names the installed ones), one that fails to
            load or to build, or one whose codes and check names are not namespaced by its name.
    """
    if not schema.plugins:
        return ()
    available = installed()
    families = []
    for plugin in schema.plugins:
        ep = available.get(plugin.name)
        if ep is None:
            names = ", ".join(available) or "none"
            raise UsageError(f"the schema names the plug-in {plugin.name!r}, which is not installed (installed "
                             f"{GROUP} plug-ins: {names})",
                             hint="install the package that provides it, or remove it from the schema's plugins")
        try:
            factory = ep.load()
            family = factory(dict(plugin.options))
        except Exception as exc:  # a plug-in is foreign code: whatever it raises is reported, not a traceback
            raise UsageError(f"the plug-in {plugin.name!r} ({ep.value}) failed to load: "
                             f"{type(exc).__name__}: {exc}") from None
        if not isinstance(family, CheckFamily):
            raise UsageError(f"the plug-in {plugin.name!r} ({ep.value}) returned {type(family).__name__}, "
                             "not a datacheck.checks.family.CheckFamily")
        _check_entries(plugin.name, family.entries)
        families.append(family)
    return tuple(families)


def _check_entries(name: str, entries: tuple[Anomaly, ...]) -> None:
    if name in CHECK_ORDER:
        raise UsageError(f"the plug-in {name!r} has the name of a built-in check; it cannot report under it")
    for entry in entries:
        if not entry.code.startswith(name + ".") or entry.code.count(".") != 1:
            raise UsageError(f"the plug-in {name!r} declares the code {entry.code!r}; a plug-in's codes are "
                             f"namespaced by its name, like {name}.mismatch")
        if entry.check != name:
            raise UsageError(f"the plug-in {name!r} declares the check {entry.check!r}; a plug-in reports under "
                             f"one check, named after it: {name!r}")
        if entry.severity not in ("error", "warning"):
            raise UsageError(f"the plug-in {name!r} gives {entry.code!r} the severity {entry.severity!r}")


__all__ = ["GROUP", "installed", "load_plugins"]
