"""Team mode: the dossier's service, who saved it, its soft lock and offline take-away;
who belongs to which service; the history of changes, written by triggers.

The triggers differ by engine, and only here. On PostgreSQL a trigger stamps
``updated_by`` with the login role (``session_user``) (what the client sends is overwritten), every
change is recorded in ``dossier_change`` by a SECURITY DEFINER function (users
cannot write the history themselves), and ``pg_notify('achatsdesk_dossiers', …)``
tells the colleagues' windows that a dossier changed. On SQLite the history
trigger copies the name the application wrote in ``updated_by``. (A later SQLite
migration that rebuilds the dossier table in batch mode must create these
triggers again: SQLite drops a table's triggers with it.)

Revision ID: 0011_team
Revises: 0010_execution
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_team"
down_revision = "0010_execution"
branch_labels = None
depends_on = None

def _new_columns() -> list[sa.Column]:
    return [
        sa.Column("service", sa.String(80), nullable=False, server_default=""),
        sa.Column("updated_by", sa.String(), nullable=False, server_default=""),
        sa.Column("locked_by", sa.String(), nullable=True),
        sa.Column("locked_at", sa.DateTime(), nullable=True),
        sa.Column("taken_by", sa.String(), nullable=True),
        sa.Column("taken_at", sa.DateTime(), nullable=True),
    ]

_SQLITE_TRIGGERS = (
    """CREATE TRIGGER dossier_history_insert AFTER INSERT ON dossier BEGIN
         INSERT INTO dossier_change (dossier_id, revision, action, changed_by, changed_at)
         VALUES (NEW.id, NEW.revision, 'creation', NEW.updated_by, strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'));
       END""",
    """CREATE TRIGGER dossier_history_update AFTER UPDATE OF revision ON dossier
       WHEN NEW.revision IS NOT OLD.revision BEGIN
         INSERT INTO dossier_change (dossier_id, revision, action, changed_by, changed_at)
         VALUES (NEW.id, NEW.revision, 'modification', NEW.updated_by, strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'));
       END""",
    """CREATE TRIGGER dossier_history_decision AFTER INSERT ON dossier_review BEGIN
         INSERT INTO dossier_change (dossier_id, revision, action, changed_by, changed_at)
         SELECT NEW.dossier_id, revision, 'decision', NEW.reviewer, strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')
         FROM dossier WHERE id = NEW.dossier_id;
       END""",
)

_POSTGRESQL_FUNCTIONS = (
    # Who saved: set at a creation and at each new revision only. A soft lock or a take-away mark
    # updates the row without a new revision and must not put the locker's name on the last save.
    """CREATE FUNCTION achatsdesk_stamp_dossier() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'INSERT' THEN
           NEW.updated_by := session_user;
         ELSIF NEW.revision IS DISTINCT FROM OLD.revision THEN
           NEW.updated_by := session_user;
         ELSE
           NEW.updated_by := OLD.updated_by;
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE FUNCTION achatsdesk_record_change() RETURNS trigger LANGUAGE plpgsql
       SECURITY DEFINER SET search_path FROM CURRENT AS $$
       DECLARE
         target_id integer;
         target_revision integer;
         what text;
         recorded boolean := true;
       BEGIN
         -- NEW.revision is only named on the dossier table: a review row has no such field,
         -- and PL/pgSQL does not short-circuit OR, so the two cases stay in separate branches.
         IF TG_TABLE_NAME = 'dossier_review' THEN
           target_id := NEW.dossier_id;
           SELECT revision INTO target_revision FROM dossier WHERE id = NEW.dossier_id;
           what := 'decision';
         ELSE
           target_id := NEW.id;
           target_revision := NEW.revision;
           what := CASE WHEN TG_OP = 'INSERT' THEN 'creation' ELSE 'modification' END;
           IF TG_OP = 'UPDATE' THEN
             recorded := NEW.revision IS DISTINCT FROM OLD.revision;
           END IF;
         END IF;
         IF recorded THEN
           INSERT INTO dossier_change (dossier_id, revision, action, changed_by, changed_at)
           VALUES (target_id, target_revision, what, session_user, localtimestamp(0));
         END IF;
         PERFORM pg_notify('achatsdesk_dossiers',
                           json_build_object('id', target_id, 'revision', target_revision,
                                             'action', what, 'by', session_user)::text);
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER dossier_stamp BEFORE INSERT OR UPDATE ON dossier
       FOR EACH ROW EXECUTE FUNCTION achatsdesk_stamp_dossier()""",
    """CREATE TRIGGER dossier_history AFTER INSERT OR UPDATE ON dossier
       FOR EACH ROW EXECUTE FUNCTION achatsdesk_record_change()""",
    """CREATE TRIGGER dossier_review_history AFTER INSERT ON dossier_review
       FOR EACH ROW EXECUTE FUNCTION achatsdesk_record_change()""",
)


def upgrade() -> None:
    with op.batch_alter_table("dossier") as batch:
        for column in _new_columns():
            batch.add_column(column)
        batch.create_index("ix_dossier_service", ["service"])
    op.create_table(
        "team_member",
        sa.Column("role_name", sa.String(63), nullable=False),
        sa.Column("service", sa.String(80), nullable=False),
        sa.PrimaryKeyConstraint("role_name", "service", name="pk_team_member"),
    )
    op.create_table(
        "dossier_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("changed_by", sa.String(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"], name="fk_dossier_change_dossier_id_dossier",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_dossier_change"),
    )
    op.create_index("ix_dossier_change_dossier_id", "dossier_change", ["dossier_id"])
    statements = _POSTGRESQL_FUNCTIONS if op.get_bind().dialect.name == "postgresql" else _SQLITE_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER dossier_review_history ON dossier_review")
        op.execute("DROP TRIGGER dossier_history ON dossier")
        op.execute("DROP TRIGGER dossier_stamp ON dossier")
        op.execute("DROP FUNCTION achatsdesk_record_change()")
        op.execute("DROP FUNCTION achatsdesk_stamp_dossier()")
    else:
        for name in ("dossier_history_decision", "dossier_history_update", "dossier_history_insert"):
            op.execute(f"DROP TRIGGER {name}")
    op.drop_index("ix_dossier_change_dossier_id", "dossier_change")
    op.drop_table("dossier_change")
    op.drop_table("team_member")
    with op.batch_alter_table("dossier") as batch:
        batch.drop_index("ix_dossier_service")
        for column in reversed(_new_columns()):
            batch.drop_column(column.name)
