"""The database schema (SQLAlchemy Core); its migrations are in migrations.py.

``SCHEMA_VERSION`` is stored in the ``meta`` table. A database made by an older coeval is
migrated step by step on open (SQLite files are copied aside first); one made by a newer
coeval is refused rather than guessed at.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    false,
    or_,
    text,
    true,
)

from coeval.vocabulary import ACTION_ORIGINS, MEETING_OPEN, OPEN, TOLD_HOW

SCHEMA_VERSION = 7

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

projects = Table(
    "projects",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime, nullable=False),
)

project_frameworks = Table(
    "project_frameworks",
    metadata,
    Column("project_id", String(64), ForeignKey("projects.id"), primary_key=True),
    Column("framework_id", String(64), primary_key=True),
)

# A participant is a pseudonymous id and the role they first took part in; never a name.
participants = Table(
    "participants",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("role", String(32), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

meetings = Table(
    "meetings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", String(64), ForeignKey("projects.id"), nullable=False),
    Column("period", String(16), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("theme", Text, nullable=False, default=""),
    Column("mode", String(16), nullable=False),
    Column("code", String(16), unique=True),
    Column("status", String(16), nullable=False, default=MEETING_OPEN),
    Column("created_at", DateTime, nullable=False),
    Column("closed_at", DateTime),
    # Added in v2: what the meeting covers and where it has got to, so that every screen
    # (each its own process) follows the facilitator by re-reading the store.
    Column("framework_id", String(64)),
    Column("items", Text),  # JSON list of item ids, in the order they are taken
    Column("position", Integer),  # index into items; NULL until the meeting starts
    Column("revealed", Boolean, nullable=False, server_default=false()),
    # Added in v3: a meeting may take a consultation's questions instead of a framework's.
    Column("consultation_id", String(64)),
    # Added in v6: counters every screen polls (one small read) to learn cheaply whether
    # anything changed: ``version`` moves when the meeting itself does (a new question, the
    # answers shown, the close), ``answers_saved`` with every answer given in it.
    Column("version", Integer, nullable=False, server_default=text("0")),
    Column("answers_saved", Integer, nullable=False, server_default=text("0")),
    CheckConstraint("mode IN ('votes', 'consensus')", name="meeting_mode"),
    CheckConstraint("status IN ('open', 'closed')", name="meeting_status"),
)

# Added in v2: how many people came to a meeting, by role (counts only, never names).
attendance = Table(
    "attendance",
    metadata,
    Column("meeting_id", Integer, ForeignKey("meetings.id"), primary_key=True),
    Column("role", String(32), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    CheckConstraint("count >= 0", name="attendance_count"),
)

imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("filename", Text, nullable=False),
    Column("stored_path", Text, nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("imported_at", DateTime, nullable=False),
    Column("actor", Text, nullable=False),
    # Added in v4: when the kept copy of the file was removed (`coeval imports purge`); the
    # row stays, so the same file is still recognised and not imported twice.
    Column("purged_at", DateTime),
    UniqueConstraint("kind", "digest", name="import_once"),
)

ratings = Table(
    "ratings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", String(64), ForeignKey("projects.id"), nullable=False),
    Column("period", String(16), nullable=False),
    Column("framework_id", String(64), nullable=False),
    Column("item_id", String(64), nullable=False),
    Column("rater_id", String(64), ForeignKey("participants.id"), nullable=False),
    Column("role", String(32), nullable=False),
    Column("score", Integer),
    Column("dont_know", Boolean, nullable=False),
    Column("note", Text),
    Column("recorded_at", DateTime, nullable=False),
    Column("meeting_id", Integer, ForeignKey("meetings.id")),
    Column("import_id", Integer, ForeignKey("imports.id")),
    Column("source", String(16), nullable=False),
    Column("idempotency_key", String(128), unique=True),
    Column("created_at", DateTime, nullable=False),
    CheckConstraint("score IS NULL OR (score >= 0 AND score <= 10)", name="score_range"),
    Index("ratings_scope", "project_id", "period", "framework_id"),
)
ratings.append_constraint(
    CheckConstraint(
        or_(
            and_(ratings.c.score.is_(None), ratings.c.dont_know == true()),
            and_(ratings.c.score.is_not(None), ratings.c.dont_know == false()),
        ),
        name="score_or_dont_know",
    )
)

evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", String(64), ForeignKey("projects.id"), nullable=False),
    Column("period", String(16), nullable=False),
    Column("framework_id", String(64)),
    Column("item_id", String(64)),
    Column("method", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    Column("consent_to_publish", Boolean, nullable=False, default=False),
    Column("rater_id", String(64), ForeignKey("participants.id")),
    Column("meeting_id", Integer, ForeignKey("meetings.id")),
    Column("import_id", Integer, ForeignKey("imports.id")),
    Column("created_at", DateTime, nullable=False),
    # Added in v2: typed-in evidence carries a key, so saving twice stores it once.
    Column("idempotency_key", String(128)),
    Index("evidence_once", "idempotency_key", unique=True),
)


actions = Table(
    "actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", String(64), ForeignKey("projects.id"), nullable=False),
    Column("period", String(16), nullable=False),
    Column("framework_id", String(64)),
    Column("item_id", String(64)),
    Column("said", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("owner_role", String(32), nullable=False),
    Column("due_on", Date),
    Column("status", String(16), nullable=False, default=OPEN),
    Column("reason", Text),
    Column("outcome", Text),
    Column("meeting_id", Integer, ForeignKey("meetings.id")),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    # Added in v7: where what people said came from (a meeting, a survey, a letter...).
    Column("origin", String(16)),
    CheckConstraint(
        "status IN ('open', 'in_progress', 'done', 'not_possible')", name="action_status"
    ),
    CheckConstraint(
        f"origin IS NULL OR origin IN ({', '.join(repr(o) for o in ACTION_ORIGINS)})",
        name="action_origin",
    ),
)

# Added in v7: each time the group was told an action's outcome, how and when ("we told you").
action_told = Table(
    "action_told",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action_id", Integer, ForeignKey("actions.id"), nullable=False),
    Column("how", String(16), nullable=False),
    Column("told_on", Date, nullable=False),
    Column("at", DateTime, nullable=False),
    Column("actor", Text, nullable=False),
    CheckConstraint(f"how IN ({', '.join(repr(h) for h in TOLD_HOW)})", name="action_told_how"),
    UniqueConstraint("action_id", "how", "told_on", name="action_told_once"),
)

activities = Table(
    "activities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", String(64), ForeignKey("projects.id"), nullable=False),
    Column("period", String(16), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("method", String(32), nullable=False),
    Column("theme", Text, nullable=False, default=""),
    Column("participants", Integer, nullable=False, default=0),
    Column("new_participants", Integer, nullable=False, default=0),
    Column("notes", Text),
    Column("import_id", Integer, ForeignKey("imports.id")),
    Column("created_at", DateTime, nullable=False),
)

activity_reach = Table(
    "activity_reach",
    metadata,
    Column("activity_id", Integer, ForeignKey("activities.id"), primary_key=True),
    Column("role", String(32), primary_key=True),
    Column("count", Integer, nullable=False),
)

# Added in v3: which of the workbook's under-represented groups an activity reached.
activity_groups = Table(
    "activity_groups",
    metadata,
    Column("activity_id", Integer, ForeignKey("activities.id"), primary_key=True),
    Column("group_name", String(120), primary_key=True),
)

# Added in v3: each review of an action (its status then, and why), kept as history.
action_updates = Table(
    "action_updates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action_id", Integer, ForeignKey("actions.id"), nullable=False),
    Column("period", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("reason", Text),
    Column("outcome", Text),
    Column("at", DateTime, nullable=False),
    Column("actor", Text, nullable=False),
)

# Added in v3: answers to a consultation's questions (the question sets are workbook files).
# Like ratings, a later answer by the same person to the same question supersedes.
consultation_answers = Table(
    "consultation_answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("consultation_id", String(64), nullable=False),
    Column("question_id", String(64), nullable=False),
    Column("project_id", String(64), ForeignKey("projects.id")),
    Column("rater_id", String(64), ForeignKey("participants.id"), nullable=False),
    Column("role", String(32), nullable=False),
    Column("answer", String(32)),  # NULL: no view given, only a comment
    Column("comment", Text),
    Column("recorded_at", DateTime, nullable=False),
    Column("meeting_id", Integer, ForeignKey("meetings.id")),
    Column("import_id", Integer, ForeignKey("imports.id")),
    Column("created_at", DateTime, nullable=False),
    Column("idempotency_key", String(128)),  # answers given in a meeting are stored once
    # Added in v4: the person agreed that their comment may be quoted (without their name) in
    # the group's response; without it their view is counted but their words are not used.
    Column("consent_to_publish", Boolean, nullable=False, server_default=false()),
    Index("consultation_scope", "consultation_id", "question_id"),
    Index("consultation_answer_once", "idempotency_key", unique=True),
)

# Added in v4: who has joined a meeting. A person is given a random rejoin code when they
# first join; only its SHA-256 digest is kept, and rejoining with it continues as the same
# rater, in the role they chose at first (nothing a person types ever identifies them).
meeting_people = Table(
    "meeting_people",
    metadata,
    Column("meeting_id", Integer, ForeignKey("meetings.id"), primary_key=True),
    Column("rater_id", String(64), ForeignKey("participants.id"), primary_key=True),
    Column("role", String(32), nullable=False),
    Column("rejoin_digest", String(64), nullable=False, unique=True),
    Column("joined_at", DateTime, nullable=False),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", String(64), nullable=False),
    Column("entity", String(32), nullable=False),
    Column("entity_id", Text, nullable=False),
    Column("detail", Text, nullable=False, default="{}"),
)

# Ratings are append-only: a correction is a new row. The database itself refuses edits.
APPEND_ONLY_MESSAGE = "ratings are append-only; add a correcting rating"
APPEND_ONLY: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "CREATE TRIGGER IF NOT EXISTS ratings_no_update BEFORE UPDATE ON ratings "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END",
        "CREATE TRIGGER IF NOT EXISTS ratings_no_delete BEFORE DELETE ON ratings "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END",
    ),
    "postgresql": (
        "CREATE OR REPLACE FUNCTION coeval_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END $$",
        "CREATE TRIGGER ratings_append_only BEFORE UPDATE OR DELETE ON ratings "
        "FOR EACH ROW EXECUTE FUNCTION coeval_append_only()",
    ),
}
