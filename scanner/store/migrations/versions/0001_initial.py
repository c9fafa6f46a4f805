"""Initial schema: users, tokens, scans, images, review, audit log, outbox."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Create every table."""
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        _ts("created_at"),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_table(
        "tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        _ts("expires_at"))
    op.create_table(
        "scans",
        sa.Column("id", sa.String(32), primary_key=True),
        _ts("created_at"), _ts("captured_at"),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("model", sa.String(32)),
        sa.Column("device", sa.String(128), nullable=False),
        sa.Column("case_ref", sa.String(128)),
        sa.Column("operator_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("origin", sa.String(64), nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
        _ts("images_purged_at", nullable=True))
    op.create_index("ix_scans_created_at", "scans", ["created_at"])
    op.create_table(
        "scan_images",
        sa.Column("scan_id", sa.String(32), sa.ForeignKey("scans.id"), primary_key=True),
        sa.Column("light", sa.String(8), primary_key=True),
        sa.Column("sealed", sa.LargeBinary, nullable=False))
    op.create_table(
        "review_items",
        sa.Column("scan_id", sa.String(32), sa.ForeignKey("scans.id"), primary_key=True),
        sa.Column("severity", sa.String(8), nullable=False),
        _ts("created_at"),
        sa.Column("claimed_by", sa.Integer, sa.ForeignKey("users.id")),
        _ts("claimed_at", nullable=True))
    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("scan_id", sa.String(32), sa.ForeignKey("scans.id"), nullable=False),
        sa.Column("reviewer_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        _ts("decided_at"))
    op.create_index("ix_review_decisions_scan_id", "review_decisions", ["scan_id"])
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        _ts("at"),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("scan_id", sa.String(32)),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False))
    op.create_index("ix_audit_log_scan_id", "audit_log", ["scan_id"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("scan_id", sa.String(32), sa.ForeignKey("scans.id"), nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        _ts("next_attempt_at"),
        sa.Column("last_error", sa.Text),
        _ts("created_at"), _ts("delivered_at", nullable=True),
        sa.UniqueConstraint("scan_id", "target"))
    op.create_index("ix_outbox_due", "outbox", ["state", "next_attempt_at"])


def downgrade() -> None:
    """Drop every table."""
    for table in ("outbox", "audit_log", "review_decisions", "review_items", "scan_images",
                  "scans", "tokens", "users"):
        op.drop_table(table)
