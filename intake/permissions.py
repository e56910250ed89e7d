"""Who may file a complaint through which channel: one table for pages and API alike."""
from accounts.choices import Role
from accounts.scope import role_of
from intake.choices import Channel

STAFF = {Role.ADMIN, Role.LEAD, Role.OFFICER, Role.STREET}

CHANNEL_ROLES = {
    Channel.HOTLINE: {Role.ADMIN, Role.LEAD, Role.OFFICER, Role.STREET},
    Channel.PATROL: {Role.ADMIN, Role.LEAD, Role.OFFICER, Role.STREET},
    Channel.PROPERTY_REPORT: {Role.PROPERTY},
    Channel.SENSOR: {Role.ADMIN},
    Channel.MEDIA: {Role.ADMIN, Role.LEAD, Role.OFFICER},
    Channel.THIRD_PARTY: {Role.ADMIN, Role.LEAD, Role.OFFICER},
    Channel.WORKSTATION: {Role.ADMIN, Role.LEAD, Role.OFFICER, Role.STREET},
    Channel.SUPERVISION: {Role.ADMIN, Role.LEAD},
    Channel.MANUAL: {Role.ADMIN, Role.LEAD, Role.OFFICER, Role.STREET},
}


def can_file(user, channel: str) -> bool:
    return role_of(user) in CHANNEL_ROLES.get(channel, set())


def can_triage(user) -> bool:
    """Confirm or correct automatic decisions, mark duplicates, import files."""
    return role_of(user) in STAFF
