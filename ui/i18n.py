"""German by default, English on request: one in-code catalogue, widgets bound to keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PyQt6.QtCore import QObject, pyqtSignal

from ui.catalogue import TEXTS

LANGUAGES = ("de", "en")


class Catalogue(QObject):
    """The current language; bound setters are called again when it changes."""

    changed = pyqtSignal()

    def __init__(self) -> None:
        super().__init__()
        self.language = "de"
        self._bindings: list[tuple[Callable[[str], Any], str, dict[str, Any]]] = []

    def text(self, key: str, **values: Any) -> str:
        """The text of `key` in the current language, formatted with `values`."""
        pair = TEXTS.get(key)
        if pair is None:
            return key
        template = pair[0] if self.language == "de" else pair[1]
        return template.format(**values) if values else template

    def bind(self, setter: Callable[[str], Any], key: str, **values: Any) -> None:
        """Call `setter` with the text now and after every language switch."""
        setter(self.text(key, **values))
        self._bindings.append((setter, key, values))

    def set_language(self, language: str) -> None:
        """Switch language and re-apply every binding (dropping deleted widgets)."""
        self.language = language if language in LANGUAGES else "de"
        alive = []
        for setter, key, values in self._bindings:
            try:
                setter(self.text(key, **values))
            except RuntimeError:  # the widget was deleted
                continue
            alive.append((setter, key, values))
        self._bindings = alive
        self.changed.emit()


_catalogue: Catalogue | None = None


def catalogue() -> Catalogue:
    """The application's one catalogue."""
    global _catalogue  # noqa: PLW0603 - one per process, created after QApplication
    if _catalogue is None:
        _catalogue = Catalogue()
    return _catalogue


def tr(key: str, **values: Any) -> str:
    """Shorthand for `catalogue().text(key, ...)`."""
    return catalogue().text(key, **values)


def bind(setter: Callable[[str], Any], key: str, **values: Any) -> None:
    """Shorthand for `catalogue().bind(setter, key, ...)`."""
    catalogue().bind(setter, key, **values)
