"""The words coeval's data is written in, defined once: roles and the voices they speak with,
the group's role, action statuses, consultation answers, audiences, meeting modes, id patterns
and the columns of a rating. Every module uses these names instead of writing the strings out.

This module imports nothing from coeval, so anything may import it.
"""

from __future__ import annotations

import re

# -- who speaks ---------------------------------------------------------------------------------

LIVED_EXPERIENCE = "lived_experience"
WORKFORCE = "workforce"
VOICES = (LIVED_EXPERIENCE, WORKFORCE)

CARER = "carer"
PERSON_USING_SERVICES = "person_using_services"
FAMILY_MEMBER = "family_member"
VOLUNTEER = "volunteer"
STAFF = "staff"
PARTNER = "partner"
COMMISSIONER = "commissioner"

#: Who a rater is, and which voice that role speaks with unless the workbook says otherwise.
DEFAULT_VOICES: dict[str, str] = {
    CARER: LIVED_EXPERIENCE,
    PERSON_USING_SERVICES: LIVED_EXPERIENCE,
    FAMILY_MEMBER: LIVED_EXPERIENCE,
    VOLUNTEER: WORKFORCE,
    STAFF: WORKFORCE,
    PARTNER: WORKFORCE,
    COMMISSIONER: WORKFORCE,
}
#: The role of an answer the whole group agreed together (a consensus).
GROUP_ROLE = "group"
#: How each role is offered to people (screens, forms, spreadsheets), in their words rather
#: than the stored id.
ROLE_WORDS: dict[str, str] = {
    CARER: "A carer",
    PERSON_USING_SERVICES: "Someone who uses services",
    FAMILY_MEMBER: "A family member",
    VOLUNTEER: "A volunteer",
    STAFF: "Staff",
    PARTNER: "From a partner organisation",
    COMMISSIONER: "A commissioner",
}
ROLES = (*DEFAULT_VOICES, GROUP_ROLE)

# -- answers ------------------------------------------------------------------------------------

#: How a rating file writes "Don't know".
DONT_KNOW = "dont_know"

#: A person's view on a consultation question, strongest agreement first.
AGREE_STRONGLY, AGREE, NEUTRAL = "agree_strongly", "agree", "neutral"
DISAGREE, DISAGREE_STRONGLY = "disagree", "disagree_strongly"
CONSULTATION_ANSWERS = (AGREE_STRONGLY, AGREE, NEUTRAL, DISAGREE, DISAGREE_STRONGLY)

# -- actions and meetings -----------------------------------------------------------------------

OPEN, IN_PROGRESS, DONE, NOT_POSSIBLE = "open", "in_progress", "done", "not_possible"
ACTION_STATUSES = (OPEN, IN_PROGRESS, DONE, NOT_POSSIBLE)

#: Where an action came from: what people said, and how it reached the group.
ACTION_ORIGINS = ("meeting", "survey", "letter", "conversation", "complaint")
#: How the group was told an action's outcome ("we told you"): at a meeting, in a
#: newsletter, by email to the distribution list, or by letter.
TOLD_HOW = ("meeting", "newsletter", "email", "letter")
FINISHED = (DONE, NOT_POSSIBLE)  # an action in either is no longer being worked on

VOTES, CONSENSUS = "votes", "consensus"
MEETING_MODES = (VOTES, CONSENSUS)
MEETING_OPEN, MEETING_CLOSED = "open", "closed"

# -- who reads ----------------------------------------------------------------------------------

INTERNAL = "internal"  # the group and staff
PUBLIC = "public"  # anyone: the public disclosure rules apply
AUDIENCES = (INTERNAL, PUBLIC)

# -- ids and columns ----------------------------------------------------------------------------

#: A project id or a rater's pseudonymous id: letters, digits, - and _, up to 64, starting
#: with a letter or digit (so it can never name another folder or a hidden file).
PROJECT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
RATER_ID = PROJECT_ID
#: A framework's, section's, item's or consultation's id: lower-case letters, digits, hyphens.
DATA_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")

#: A rating, as scoring reads it.
RATING_COLUMNS = (
    "seq",
    "project",
    "period",
    "framework",
    "item",
    "rater",
    "role",
    "score",
    DONT_KNOW,
    "recorded_at",
)
