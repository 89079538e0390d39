"""Paramètres › Base de données: work alone on this workstation's file, or on the team's PostgreSQL server.

The address (a ``postgresql://…`` URL or ``service=…`` from pg_service.conf) is saved in the settings
(services/team_connection.py); the password, when one is typed, goes to the system keyring, never to a
file. "Tester la connexion" connects in the background and says who the server knows the user as and
which schema revision it holds. The choice applies at the next start: the open database stays open.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from achatsdesk.services import team_connection
from achatsdesk.ui import errors, operations
from achatsdesk.ui.context import ShellContext

ADDRESS_PLACEHOLDER = "postgresql://serveur.local/achats  ou  service=achats"


class DatabaseSettingsDialog(QDialog):
    def __init__(self, context: ShellContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Paramètres : base de données")
        self.setAccessibleName("Paramètres : base de données")
        self.setMinimumWidth(560)
        self._task = None

        self.local_choice = QRadioButton("Base locale (ce poste)")
        self.team_choice = QRadioButton("Serveur de l'équipe (PostgreSQL)")
        choices = QButtonGroup(self)
        choices.addButton(self.local_choice)
        choices.addButton(self.team_choice)
        self.address = QLineEdit()
        self.address.setPlaceholderText(ADDRESS_PLACEHOLDER)
        self.address.setAccessibleName("Adresse du serveur")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("facultatif : gardé dans le trousseau du système")
        self.password.setAccessibleName("Mot de passe")
        self.test_button = QPushButton("Tester la connexion")
        self.result = QLabel()
        self.result.setObjectName("connectionResult")
        self.result.setWordWrap(True)
        self.result.setAccessibleName("Résultat")
        # The variable wins over this setting at every start: say so, or the buyer saves a choice
        # that seems to do nothing.
        imposed = team_connection.environment_override()
        self.override = QLabel(
            f"La variable d'environnement {team_connection.ENVIRONMENT_VARIABLE} est définie sur ce poste "
            f"({imposed}) : elle l'emporte sur ce réglage tant qu'elle l'est." if imposed else "")
        self.override.setObjectName("environmentOverride")
        self.override.setWordWrap(True)
        self.override.setVisible(imposed is not None)

        form = QFormLayout()
        form.addRow("Adresse :", self.address)
        form.addRow("Mot de passe :", self.password)
        explanation = QLabel(
            "Seul, achatsdesk garde tout dans un fichier de ce poste. Connecté au serveur de votre service, "
            "les dossiers, les relectures et la bibliothèque de clauses de l'organisation sont partagés ; "
            "les référentiels et le catalogue restent sur ce poste. Sans mot de passe ici, libpq utilise "
            "le fichier .pgpass ou Kerberos.")
        explanation.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Enregistrer")
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.close_button.setText("Annuler")

        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.override)
        layout.addWidget(self.local_choice)
        layout.addWidget(self.team_choice)
        layout.addLayout(form)
        layout.addWidget(self.test_button)
        layout.addWidget(self.result)
        layout.addWidget(self.buttons)

        self.team_choice.toggled.connect(self._follow_choice)
        self.test_button.clicked.connect(self.test_connection)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._load()

    def _load(self) -> None:
        try:
            saved = team_connection.saved_address(self.context.paths)
        except Exception as exc:  # noqa: BLE001 - an unreadable file is said here, and can be replaced
            saved = ""
            self._say(exc)
        self.address.setText(saved)
        (self.team_choice if saved else self.local_choice).setChecked(True)
        self._follow_choice(bool(saved))

    def _follow_choice(self, team: bool) -> None:
        for widget in (self.address, self.password, self.test_button):
            widget.setEnabled(team)

    def _say(self, what: BaseException | str) -> None:
        if isinstance(what, BaseException):
            errors.log_exception(what)
            _title, what = errors.user_text(what)
        self.result.setText(what)

    @property
    def chosen_address(self) -> str:
        return self.address.text().strip() if self.team_choice.isChecked() else ""

    # --- actions --------------------------------------------------------
    def test_connection(self) -> None:
        address, password = self.address.text(), self.password.text()
        self.result.setText("Connexion au serveur…")
        self.test_button.setEnabled(False)

        def done(check: team_connection.ConnectionCheck) -> None:
            if isValid(self):  # the dialog may have been closed while the server answered
                self.test_button.setEnabled(True)
                self._say(check.message)

        def failed(exc: BaseException) -> None:
            if isValid(self):
                self.test_button.setEnabled(True)
                self._say(exc)

        self._task = operations.run_in_background(
            self.context, self, lambda _control: team_connection.check_connection(address, password),
            writes=False, success=done, failure=failed)

    def save(self) -> None:
        """Save the choice (and the password to the keyring); said to apply at the next start."""
        address, password = self.chosen_address, self.password.text()
        if self.team_choice.isChecked() and not address:
            self._say("Indiquez l'adresse du serveur, ou choisissez la base locale.")
            return
        try:
            if address and password:
                team_connection.remember_password(address, password)
            team_connection.save_address(self.context.paths, address)
        except Exception as exc:  # noqa: BLE001 - said in the dialog; nothing was saved
            self._say(exc)
            return
        where = team_connection.address_label(address)
        self._say(f"Enregistré : {where}. Le changement s'appliquera au prochain démarrage d'achatsdesk.")
        self.password.clear()
        self.close_button.setText("Fermer")
