"""The initial schema: matrix, directory, routing, escalations, closure and onboarding."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "agents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("first_activity", sa.DateTime(), nullable=True),
        sa.Column("last_activity", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agents")),
        sa.UniqueConstraint("name", name=op.f("uq_agents_name")),
    )
    op.create_table(
        "calendars",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("weekly_hours", sa.Text(), nullable=False),
        sa.Column("holidays", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendars")),
        sa.UniqueConstraint("name", name=op.f("uq_calendars_name")),
    )
    op.create_table(
        "matrix_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("published_by", sa.String(length=120), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matrix_versions")),
        sa.UniqueConstraint("number", name=op.f("uq_matrix_versions_number")),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "walkthroughs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_walkthroughs")),
        sa.UniqueConstraint("title", name=op.f("uq_walkthroughs_title")),
    )
    op.create_table(
        "agent_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("walkthrough_id", sa.Integer(), nullable=True),
        sa.Column("level_code", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Double(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agents.id"],
            name=op.f("fk_agent_progress_agent_id_agents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["walkthrough_id"],
            ["walkthroughs.id"],
            name=op.f("fk_agent_progress_walkthrough_id_walkthroughs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_progress")),
    )
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("calendar_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["calendar_id"], ["calendars.id"], name=op.f("fk_teams_calendar_id_calendars")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("name", name=op.f("uq_teams_name")),
    )
    op.create_table(
        "walkthrough_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("walkthrough_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("screen", sa.String(length=64), nullable=False),
        sa.Column("widget", sa.String(length=200), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["walkthrough_id"],
            ["walkthroughs.id"],
            name=op.f("fk_walkthrough_steps_walkthrough_id_walkthroughs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_walkthrough_steps")),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_people_team_id_teams")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("name", name=op.f("uq_people_name")),
    )
    op.create_table(
        "roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("holder_id", sa.Integer(), nullable=True),
        sa.Column("backup_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["backup_id"], ["people.id"], name=op.f("fk_roles_backup_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["holder_id"], ["people.id"], name=op.f("fk_roles_holder_id_people")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_roles_team_id_teams")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
        sa.UniqueConstraint("name", name=op.f("uq_roles_name")),
    )
    op.create_table(
        "routing_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("match_on", sa.String(length=16), nullable=False),
        sa.Column("pattern", sa.String(length=200), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name=op.f("fk_routing_rules_role_id_roles")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_routing_rules_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_rules")),
    )
    op.create_table(
        "severity_levels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("colour", sa.String(length=9), nullable=False),
        sa.Column("target_response_minutes", sa.Integer(), nullable=False),
        sa.Column("target_response_business", sa.Boolean(), nullable=False),
        sa.Column("update_every_minutes", sa.Integer(), nullable=True),
        sa.Column("update_every_business", sa.Boolean(), nullable=False),
        sa.Column("target_resolution_minutes", sa.Integer(), nullable=True),
        sa.Column("target_resolution_business", sa.Boolean(), nullable=False),
        sa.Column("calendar_id", sa.Integer(), nullable=True),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("engineer_role_id", sa.Integer(), nullable=True),
        sa.Column("liaison_role_id", sa.Integer(), nullable=True),
        sa.Column("updates_by", sa.String(length=16), nullable=False),
        sa.Column("hand_back", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["calendar_id"], ["calendars.id"], name=op.f("fk_severity_levels_calendar_id_calendars")
        ),
        sa.ForeignKeyConstraint(
            ["engineer_role_id"],
            ["roles.id"],
            name=op.f("fk_severity_levels_engineer_role_id_roles"),
        ),
        sa.ForeignKeyConstraint(
            ["liaison_role_id"], ["roles.id"], name=op.f("fk_severity_levels_liaison_role_id_roles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_severity_levels")),
        sa.UniqueConstraint("code", name=op.f("uq_severity_levels_code")),
    )
    op.create_table(
        "checklist_template_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("level_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("evidence", sa.String(length=200), nullable=False),
        sa.Column("gate", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["level_id"],
            ["severity_levels.id"],
            name=op.f("fk_checklist_template_items_level_id_severity_levels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_template_items")),
    )
    op.create_table(
        "escalation_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("level_id", sa.Integer(), nullable=False),
        sa.Column("after_minutes", sa.Integer(), nullable=False),
        sa.Column("tier", sa.Integer(), nullable=True),
        sa.Column("role_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["level_id"],
            ["severity_levels.id"],
            name=op.f("fk_escalation_steps_level_id_severity_levels"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name=op.f("fk_escalation_steps_role_id_roles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation_steps")),
    )
    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("customer", sa.String(length=200), nullable=False),
        sa.Column("module", sa.String(length=200), nullable=False),
        sa.Column("issue_type", sa.String(length=200), nullable=False),
        sa.Column("severity_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("role_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("liaison_id", sa.Integer(), nullable=True),
        sa.Column("routed_by_rule_id", sa.Integer(), nullable=True),
        sa.Column("matrix_version_id", sa.Integer(), nullable=True),
        sa.Column("customers_affected", sa.Integer(), nullable=False),
        sa.Column("customer_impact", sa.Text(), nullable=False),
        sa.Column("tried", sa.Text(), nullable=False),
        sa.Column("reproduce", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("escalated_at", sa.DateTime(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("handed_back_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("last_update_at", sa.DateTime(), nullable=True),
        sa.Column("reopen_count", sa.Integer(), nullable=False),
        sa.Column("reassignment_count", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["liaison_id"], ["people.id"], name=op.f("fk_escalations_liaison_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["matrix_version_id"],
            ["matrix_versions.id"],
            name=op.f("fk_escalations_matrix_version_id_matrix_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["people.id"], name=op.f("fk_escalations_owner_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name=op.f("fk_escalations_role_id_roles")
        ),
        sa.ForeignKeyConstraint(
            ["routed_by_rule_id"],
            ["routing_rules.id"],
            name=op.f("fk_escalations_routed_by_rule_id_routing_rules"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["severity_id"],
            ["severity_levels.id"],
            name=op.f("fk_escalations_severity_id_severity_levels"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_escalations_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalations")),
        sa.UniqueConstraint("ref", name=op.f("uq_escalations_ref")),
    )
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_escalations_status"), ["status"], unique=False)

    op.create_table(
        "level_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("level_id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["level_id"],
            ["severity_levels.id"],
            name=op.f("fk_level_contacts_level_id_severity_levels"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name=op.f("fk_level_contacts_role_id_roles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_level_contacts")),
        sa.UniqueConstraint("level_id", "role_id", name=op.f("uq_level_contacts_level_id")),
    )
    op.create_table(
        "triggers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("level_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("after_minutes", sa.Integer(), nullable=True),
        sa.Column("business", sa.Boolean(), nullable=False),
        sa.Column("customers_at_least", sa.Integer(), nullable=True),
        sa.Column("system_wide", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["level_id"],
            ["severity_levels.id"],
            name=op.f("fk_triggers_level_id_severity_levels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_triggers")),
    )
    op.create_table(
        "checklist_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("evidence_kinds", sa.String(length=200), nullable=False),
        sa.Column("gate", sa.String(length=16), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("done_by", sa.String(length=120), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("waived_reason", sa.Text(), nullable=False),
        sa.Column("waived_by", sa.String(length=120), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalations.id"],
            name=op.f("fk_checklist_entries_escalation_id_escalations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_entries")),
    )
    op.create_table(
        "escalation_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalations.id"],
            name=op.f("fk_escalation_events_escalation_id_escalations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation_events")),
    )
    with op.batch_alter_table("escalation_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_escalation_events_escalation_id"), ["escalation_id"], unique=False
        )

    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("due", sa.DateTime(), nullable=True),
        sa.Column("link", sa.Text(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalations.id"],
            name=op.f("fk_follow_ups_escalation_id_escalations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
    )

    # The timeline is evidence: the database itself refuses to rewrite or delete it.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION escalation_events_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'the escalation timeline is append-only'; END "
            "$$ LANGUAGE plpgsql"
        )
    for statement in ("UPDATE", "DELETE"):
        op.execute(_append_only_trigger(statement))


def _append_only_trigger(statement: str) -> str:
    name = f"escalation_events_no_{statement.lower()}"
    if op.get_bind().dialect.name == "postgresql":
        return (
            f"CREATE TRIGGER {name} BEFORE {statement} ON escalation_events "
            "FOR EACH ROW EXECUTE FUNCTION escalation_events_append_only()"
        )
    return (
        f"CREATE TRIGGER {name} BEFORE {statement} ON escalation_events "
        "BEGIN SELECT RAISE(ABORT, 'the escalation timeline is append-only'); END"
    )


def downgrade() -> None:
    on = " ON escalation_events" if op.get_bind().dialect.name == "postgresql" else ""
    op.execute(f"DROP TRIGGER IF EXISTS escalation_events_no_update{on}")
    op.execute(f"DROP TRIGGER IF EXISTS escalation_events_no_delete{on}")

    op.drop_table("follow_ups")
    with op.batch_alter_table("escalation_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_escalation_events_escalation_id"))

    op.drop_table("escalation_events")
    op.drop_table("checklist_entries")
    op.drop_table("triggers")
    op.drop_table("level_contacts")
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_escalations_status"))

    op.drop_table("escalations")
    op.drop_table("escalation_steps")
    op.drop_table("checklist_template_items")
    op.drop_table("severity_levels")
    op.drop_table("routing_rules")
    op.drop_table("roles")
    op.drop_table("people")
    op.drop_table("walkthrough_steps")
    op.drop_table("teams")
    op.drop_table("agent_progress")
    op.drop_table("walkthroughs")
    op.drop_table("settings")
    op.drop_table("matrix_versions")
    op.drop_table("calendars")
    op.drop_table("agents")
