"""The login page: daemon address, user name, password, language."""

from __future__ import annotations

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import bind, catalogue


class LoginView(QWidget):
    """Asks for credentials; emits `submitted(url, username, password)`."""

    submitted = pyqtSignal(str, str, str)

    def __init__(self, url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QGroupBox()
        bind(box.setTitle, "login.title")
        box.setMaximumWidth(460)
        self.url_edit = QLineEdit(url)
        self.user_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.language = QComboBox()
        self.language.addItem("Deutsch", "de")
        self.language.addItem("English", "en")
        self.button = QPushButton()
        bind(self.button.setText, "login.button")
        self.button.setDefault(True)
        form = QFormLayout(box)
        labels = []
        for key, widget in (("login.url", self.url_edit), ("login.user", self.user_edit),
                            ("login.password", self.password_edit),
                            ("login.language", self.language)):
            label = QLabel()
            bind(label.setText, key)
            label.setBuddy(widget)
            labels.append(label)
            form.addRow(label, widget)
        form.addRow(self.button)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.setTabOrder(self.user_edit, self.password_edit)
        self.setTabOrder(self.password_edit, self.button)
        self.setTabOrder(self.button, self.language)
        self.setTabOrder(self.language, self.url_edit)
        self.button.clicked.connect(self.submit)
        self.password_edit.returnPressed.connect(self.submit)
        self.user_edit.returnPressed.connect(self.password_edit.setFocus)
        self.language.currentIndexChanged.connect(
            lambda _i: catalogue().set_language(self.language.currentData()))

    def submit(self) -> None:
        """Emit the entered credentials."""
        if self.user_edit.text().strip() and self.password_edit.text():
            self.submitted.emit(self.url_edit.text().strip(), self.user_edit.text().strip(),
                                self.password_edit.text())

    def set_busy(self, busy: bool) -> None:
        """Disable the form while a login runs."""
        self.button.setEnabled(not busy)
