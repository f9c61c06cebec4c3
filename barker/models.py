"""Request and response shapes of the public API (pydantic v2). Stores render views in exactly these
shapes; tests validate every response against its declared model."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from barker import validation
from barker.discoverability import Visibility
from barker.ids import MAX_ID
from barker.policies import (
    MAX_MEDIA_PER_BARK,
    MAX_MUTE_SECONDS,
    MAX_REPORTED_BARKS,
    REPORT_NOTE_MAX,
    REPORT_TEXT_MAX,
    SUSPEND_REASON_MAX,
)
from barker.text_entities import URL_WEIGHT

# Raw-length caps bound the work before the exact rules (which count code points after NFC) run. The
# schema (json_schema_extra) states the exact rules, so a request valid by the OpenAPI document is accepted.
Handle = Annotated[str, Field(max_length=30, examples=["ada_l"], json_schema_extra={
    "pattern": validation.HANDLE_PATTERN, "minLength": 2}), AfterValidator(validation.handle)]
Password = Annotated[str, Field(max_length=1024, json_schema_extra={
    "minLength": validation.PASSWORD_MIN, "maxLength": validation.PASSWORD_MAX}), AfterValidator(validation.password)]
DisplayName = Annotated[str, Field(max_length=500, json_schema_extra={
    "maxLength": validation.DISPLAY_NAME_MAX, "pattern": validation.SINGLE_LINE_VISIBLE_PATTERN}),
    AfterValidator(validation.display_name)]
Bio = Annotated[str, Field(max_length=3000, json_schema_extra={
    "maxLength": validation.BIO_MAX, "pattern": validation.MULTILINE_VISIBLE_PATTERN}), AfterValidator(validation.bio)]
# Bark text's limit weighs each link as 23 characters (barker/text_entities.py), which no JSON Schema keyword
# can say: a long link makes a valid text longer than 280 code points, a short one makes a shorter text too
# long. So the document states only the raw cap (maxLength 3000, true of every accepted text) and gives the
# rule in words (BARK_TEXT_RULE).
BarkText = Annotated[str, Field(max_length=3000, json_schema_extra={"pattern": validation.MULTILINE_PATTERN}),
                     AfterValidator(validation.bark_text_or_empty)]
BARK_TEXT_RULE = (f"at most {validation.BARK_MAX_CHARS} characters (code points after NFC), each link (an http or "
                  f"https URL, or a bare domain such as example.com/page) counted as {URL_WEIGHT} however long")
MediaId = Annotated[int, Field(ge=1, le=MAX_ID)]
MediaDescription = Annotated[str, Field(max_length=20_000, json_schema_extra={
    "maxLength": validation.MEDIA_DESCRIPTION_MAX, "pattern": validation.MULTILINE_PATTERN}),
    AfterValidator(validation.media_description)]


def _json_number(value: object) -> object:
    """Only a JSON number may be an id: true is no bark 1 and "12" no bark 12 (pydantic's lax mode would
    take both). A whole number written 12.0 is one, as JSON Schema's `integer` says."""
    if isinstance(value, bool | str):
        raise ValueError("must be a whole number")
    return value


# After the field's constraints in Annotated[int, Field(...), ONLY_JSON_NUMBERS] (placed before them, it would
# keep them out of the JSON schema).
ONLY_JSON_NUMBERS = BeforeValidator(_json_number)
BarkId = Annotated[int, Field(ge=1, le=MAX_ID)]
Emoji = Annotated[str, Field(max_length=64, examples=["🐶"]), AfterValidator(validation.reaction_emoji)]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SignUp(Input):
    handle: Handle
    password: Password
    display_name: DisplayName | None = None
    bio: Bio = ""
    invite: Annotated[str | None, Field(max_length=64, description="an invite code: required while the server "
                                        "takes new accounts by invitation")] = None


class LogIn(Input):
    handle: Annotated[str, Field(max_length=64)]
    password: Annotated[str, Field(max_length=1024)]


class ProfileEdit(Input):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"anyOf": [  # what _not_empty checks
        {"required": ["display_name"], "properties": {"display_name": {"type": "string"}}},
        {"required": ["bio"], "properties": {"bio": {"type": "string"}}}]})
    display_name: DisplayName | None = None
    bio: Bio | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> ProfileEdit:
        if self.display_name is None and self.bio is None:
            raise ValueError("give display_name and/or bio")
        return self


class PasswordChange(Input):
    old_password: Annotated[str, Field(max_length=1024)]
    new_password: Password


class AccountDeletion(Input):
    password: Annotated[str, Field(max_length=1024)]


class NewBark(Input):
    # Text that is not blank, or at least one media id: what _text_or_media checks, said in the schema.
    model_config = ConfigDict(extra="forbid", json_schema_extra={"anyOf": [
        {"required": ["text"], "properties": {"text": {"pattern": r"\S"}}},
        {"required": ["media_ids"], "properties": {"media_ids": {"minItems": 1}}}]})
    text: BarkText = Field("", description=f"{BARK_TEXT_RULE}; may be empty when media_ids is not")
    media_ids: list[MediaId] = Field(default_factory=list, max_length=MAX_MEDIA_PER_BARK,
                                     json_schema_extra={"uniqueItems": True},
                                     description="up to 4 of your uploads (POST /v1/media), in display order")
    reply_to: Annotated[int, Field(ge=1, le=MAX_ID), ONLY_JSON_NUMBERS] | None = Field(
        None, description="the bark this one answers (a rebark: its original)")

    @model_validator(mode="after")
    def _text_or_media(self) -> NewBark:
        if not self.media_ids and not self.text.strip():
            raise ValueError("text must not be blank")
        if len(set(self.media_ids)) != len(self.media_ids):
            raise ValueError("media_ids lists the same media twice")
        return self


class AvatarChoice(Input):
    media_id: MediaId = Field(description="one of your uploads made with purpose=avatar")


class NewReaction(Input):
    emoji: Emoji


class User(BaseModel):
    id: int
    handle: str
    display_name: str
    avatar_url: str | None = Field(description="square profile picture (null: none); relative to the API's "
                                               "origin unless absolute")
    avatar_thumbnail_url: str | None = Field(description="the same, small")
    bio: str
    created_at: str
    followers_count: int
    following_count: int
    barks_count: int
    following: bool = Field(description="the caller follows this user")
    followed_by: bool = Field(description="this user follows the caller")
    blocking: bool = Field(description="the caller blocks this user")
    blocked_by: bool = Field(description="this user blocks the caller: their barks are unavailable to the caller")
    muting: bool = Field(description="the caller mutes this user (they are never told)")


Role = Literal["user", "moderator", "admin"]
AccountState = Literal["active", "pending", "suspended"]
RegistrationModeName = Literal["open", "approval", "invite", "closed"]


class Me(User):
    """Your own profile: what others' views of it do not show."""

    role: Role
    must_change_password: bool = Field(description="an admin reset the password: change it before anything else")


class Session(BaseModel):
    token: str
    token_type: str = "bearer"
    expires_at: str
    must_change_password: bool = Field(False, description="this session may only change the password "
                                       "(PUT /v1/me/password), read GET /v1/me and log out until it is changed")
    user: Me


class PendingSignUp(BaseModel):
    """Sign-up while registrations need approval: the account exists but cannot log in until approved."""

    pending: bool
    handle: str
    message: str


class AccountAdminView(BaseModel):
    id: int
    handle: str
    display_name: str
    created_at: str
    role: Role
    state: AccountState
    must_change_password: bool


class AccountAdminPage(BaseModel):
    items: list[AccountAdminView]
    next_before: int | None


class RoleChange(Input):
    role: Role


class RegistrationMode(Input):
    mode: RegistrationModeName


class InviteRequest(Input):
    uses: Annotated[int, Field(ge=1, le=1_000_000), ONLY_JSON_NUMBERS] = 1
    expires_days: Annotated[float | None, Field(gt=0, le=3650)] = None


class Invite(BaseModel):
    id: int
    created_by: str
    max_uses: int
    uses: int
    expires_at: str | None
    usable: bool


class NewInviteCode(Invite):
    code: str = Field(description="shown only now: the server keeps only its digest")


class InviteList(BaseModel):
    items: list[Invite]


class AccountStaffView(User):
    """Any account as moderators and admins see it, whatever its state (nobody else sees a suspended or
    pending account's profile): the profile rendered for no viewer, with its role and state."""

    role: Role
    state: AccountState
    must_change_password: bool


class Suspension(Input):
    reason: Annotated[str, Field(min_length=1, max_length=SUSPEND_REASON_MAX,
                                 description="why, for the audit log (required)")]


class Unsuspension(Input):
    reason: Annotated[str | None, Field(max_length=SUSPEND_REASON_MAX, description="for the audit log")] = None


class Rejection(Input):
    reason: Annotated[str | None, Field(max_length=500)] = None


class OneTimePassword(BaseModel):
    password: str = Field(description="shown only now; the user must change it at the next log-in")


class AuditEntry(BaseModel):
    id: int
    actor: str = Field(description='the handle of who acted, or "operator" for the command line')
    action: str
    target: str
    reason: str | None
    created_at: str


class AuditPage(BaseModel):
    items: list[AuditEntry]
    next_before: int | None


class Author(BaseModel):
    id: int
    handle: str
    display_name: str
    avatar_url: str | None
    avatar_thumbnail_url: str | None


class Media(BaseModel):
    """An image attached to a bark. URLs are paths on the API's origin (resolve them against the base URL
    the client uses) unless absolute; their content never changes, so they may be cached forever."""

    id: int
    width: int = Field(description="of the display image at `url`")
    height: int
    animated: bool = Field(description="an animated GIF (url and original_url animate; the thumbnail is still)")
    url: str = Field(description="display image, at most 1600 px on its longest side by default")
    thumbnail_url: str = Field(description="at most 400 px on its longest side by default")
    original_url: str = Field(description="the whole picture, re-encoded without metadata, at most 4096 px")
    description: str | None = Field(description="what the image shows, for those who cannot see it (alt text): "
                                                "plain text, null for none")


class MediaDescriptionChange(Input):
    description: MediaDescription | None = Field(description=f"at most {validation.MEDIA_DESCRIPTION_MAX} "
                                                 "characters, trimmed; empty or null removes it")


class UploadedMedia(Media):
    purpose: Literal["post", "avatar"]
    expires_at: str = Field(description="when the upload is deleted unless attached to a bark or set as avatar")


class ReplyTo(BaseModel):
    id: int = Field(description="the bark answered")
    author: Author | None = Field(description="its author; null once that bark is deleted")


class MentionEntity(BaseModel):
    type: Literal["mention"]
    start: int = Field(description="code-point offset in text where `@handle` begins")
    end: int = Field(description="code-point offset just past it")
    user_id: int
    handle: str = Field(description="the handle as written (without @)")


class TagEntity(BaseModel):
    type: Literal["tag"]
    start: int
    end: int
    tag: str = Field(description="normalised (NFC, case-folded): the name of its timeline")


class UrlEntity(BaseModel):
    type: Literal["url"]
    start: int
    end: int
    url: str = Field(description="the link's target, with its scheme (show it before opening)")


Entity = Annotated[MentionEntity | TagEntity | UrlEntity, Field(discriminator="type")]


class Bark(BaseModel):
    id: int
    created_at: str
    author: Author
    text: str | None = Field(description="null for a rebark; the content is in rebark_of")
    media: list[Media] = Field(description="attached images, in order (empty for a rebark: see rebark_of)")
    reactions: dict[str, int] = Field(description="count per emoji")
    my_reactions: list[str]
    rebark_count: int
    rebarked_by_me: bool
    rebark_of: Bark | None = Field(description="for a rebark, the original bark")
    reply_to: ReplyTo | None = Field(description="for a reply, the bark it answers")
    reply_count: int = Field(description="replies to this bark that exist")
    mentions: list[Author] = Field(description="the users mentioned in text, in order")
    tags: list[str] = Field(description="its hashtags, normalised, in order")
    entities: list[Entity] = Field(description="every mention, tag and link in text with its code-point range, "
                                               "in text order: make them clickable without parsing text")
    bookmarked: bool = Field(description="you bookmarked it (only you can see this)")


class BarkPage(BaseModel):
    items: list[Bark]
    next_before: int | None = Field(description="pass as before= to get the next (older) page")


class Tombstone(BaseModel):
    """A deleted bark that replies still hang from: it keeps its place so the thread's branches hang together."""

    id: int
    deleted: Literal[True]


class ThreadBark(Bark):
    depth: int = Field(description="1: a direct reply to the thread's bark; 2: a reply to one of those; ...")


class ThreadTombstone(Tombstone):
    depth: int


class Thread(BaseModel):
    ancestors: list[Bark | Tombstone] = Field(description="the barks above, oldest first, up to the root (at "
                                                          "most the 100 nearest: if the first still has a "
                                                          "reply_to, that bark's thread goes on up)")
    bark: Bark
    descendants: list[ThreadBark | ThreadTombstone] = Field(
        description="replies below, in conversation order: depth-first, each branch oldest first")
    next_after: int | None = Field(description="pass as after= to get the next page of descendants")


class UserPage(BaseModel):
    items: list[User]
    next_before: int | None


class MuteRequest(Input):
    duration: Annotated[int, Field(ge=1, le=MAX_MUTE_SECONDS, description="seconds the mute lasts"),
                        ONLY_JSON_NUMBERS] | None = Field(None, description="null or absent: until unmuted")


class MutedUser(User):
    muting_until: str | None = Field(description="when the mute ends (ISO 8601); null: until unmuted")


class MutedUserPage(BaseModel):
    items: list[MutedUser]
    next_before: int | None = Field(description="cursor: a mute id")


class TrendingTag(BaseModel):
    tag: str = Field(description="normalised (NFC, case-folded): GET /v1/tags/{tag}/barks is its timeline")
    authors: int = Field(description="distinct authors who used it in the last 24 hours")
    barks: int = Field(description="barks carrying it in the last 24 hours")


class TrendingTags(BaseModel):
    items: list[TrendingTag] = Field(description="most distinct authors first, then most barks, then by tag")


class BarkEvent(BaseModel):
    seq: int = Field(description="position in your stream; for a live_only bark, the last seq sent before it")
    type: Literal["bark"]
    bark: Bark
    live_only: bool = Field(False, description="a bark by an author above the fan-out threshold: sent "
                                               "live only, never replayed (it is in your home timeline)")


class NotificationEvent(BaseModel):
    """What every notification's stream event carries besides its own fields."""

    seq: int
    notification_id: int = Field(description="its id in GET /v1/notifications (and for the read marker)")
    created_at: str = Field(description="when it happened")


class ReactionEvent(NotificationEvent):
    type: Literal["reaction"]
    bark_id: int
    emoji: str
    user: Author = Field(description="who reacted to your bark")


class FollowerEvent(NotificationEvent):
    type: Literal["follower"]
    user: User = Field(description="your new follower")


class RebarkEvent(NotificationEvent):
    type: Literal["rebark"]
    bark_id: int = Field(description="your bark that was rebarked")
    user: Author = Field(description="who rebarked it")


class ReplyEvent(NotificationEvent):
    """A reply to your bark: `bark` is the reply."""

    type: Literal["reply"]
    bark: Bark  # no Field description: beside a $ref it showed up in the Bark responses of /openapi.json


class MentionEvent(NotificationEvent):
    """A bark that mentions you: `bark`."""

    type: Literal["mention"]
    bark: Bark


StreamEvent = Annotated[BarkEvent | ReactionEvent | FollowerEvent | RebarkEvent | ReplyEvent | MentionEvent,
                        Field(discriminator="type")]


class StreamEvents(BaseModel):
    events: list[StreamEvent]
    last_seq: int = Field(description="pass as after= to continue")
    gap: bool = Field(description="events after your cursor were trimmed away: reload your home timeline")


NotificationType = Literal["reaction", "rebark", "reply", "mention", "follow"]  # policies.NOTIFICATION_TYPES


class Notification(BaseModel):
    id: int = Field(description="the id of what caused it; the read marker and page cursor compare these")
    type: NotificationType
    created_at: str
    actor: User = Field(description="who reacted, rebarked, replied, mentioned you or followed you")
    bark: Bark | None = Field(description="your bark reacted to or rebarked, or the reply or mentioning bark; "
                                          "null for a follow")
    emoji: str | None = Field(description="a reaction's emoji, else null")


class NotificationPage(BaseModel):
    items: list[Notification]
    next_before: int | None = Field(description="pass as before= to get the next (older) page")


class NotificationsRead(Input):
    up_to: Annotated[int, Field(ge=0, le=MAX_ID, description="the newest notification id read (clamped to "
                                                             "your newest)"), ONLY_JSON_NUMBERS]


class ReadMarker(BaseModel):
    last_read_id: int = Field(description="the newest notification id you have read (0: none)")
    unread_count: int = Field(description="how many of your notifications are newer")


Latitude = Annotated[float, Field(strict=True, ge=-90, le=90, allow_inf_nan=False, examples=[52.52])]
Longitude = Annotated[float, Field(strict=True, ge=-180, le=180, allow_inf_nan=False, examples=[13.405])]


NearbyVisibility = Annotated[Visibility, Field(description=(
    "who may find you nearby: everyone (signed-in users), followers (only followers you follow back: a "
    "follow alone needs no approval, so your own follow is the consent), nobody (sharing paused: your "
    "location and this setting are kept)"))]


class Location(Input):
    """Your position (WGS 84 degrees). It is snapped to an H3 cell before it is stored: only the cell is
    kept, and others see a rounded distance between cell centres."""

    lat: Latitude
    lon: Longitude
    visibility: NearbyVisibility | None = Field(None, description="who may find you; omitted: keep yours "
                                                                  "(everyone on a first share)")


class VisibilityChoice(Input):
    visibility: NearbyVisibility


class SharedLocation(BaseModel):
    """Your location as stored, seen only by you: the centre of your cell, never the point you sent."""

    lat: float = Field(description="the cell centre's latitude (not your exact position)")
    lon: float = Field(description="the cell centre's longitude")
    approximate: Literal[True] = Field(True, description="always true: only the cell is stored")
    cell: str = Field(description="the H3 cell index (hex) your position was snapped to", examples=["871f1d489ffffff"])
    resolution: int = Field(description="the cell's H3 resolution (7: ~1.4 km edges; lower is coarser)")
    visibility: NearbyVisibility


class NearbyUser(BaseModel):
    user: User
    distance_km: int = Field(description="great-circle distance between your cell's centre and theirs, rounded "
                                         "up to whole kilometres (at least 1)")


class NearbyPage(BaseModel):
    items: list[NearbyUser]


class SuggestedUser(BaseModel):
    user: User
    mutuals: int = Field(description="how many people you follow follow them")
    followed_by: list[str] = Field(description="handles of up to 3 of those, most-followed first: "
                                               "show as \"followed by A, B and N others\"")
    followed_by_others: int = Field(description="N: the mutuals not named in followed_by")
    paths: int = Field(description="depth 3: follow paths of length three from you to them")


class SuggestionPage(BaseModel):
    items: list[SuggestedUser]


class UserSearchPage(BaseModel):
    items: list[User]
    next: str | None = Field(description="pass as after= to get the next page")


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


# -- reports (POST /v1/reports, GET /v1/me/reports, /v1/admin/reports) --

ReportReason = Literal["spam", "harassment", "hate", "violence", "illegal", "impersonation", "other"]
ReportState = Literal["open", "resolved", "dismissed"]


class ReportRequest(Input):
    handle: Annotated[str, Field(max_length=64, description="who is reported")]
    bark_ids: Annotated[list[Annotated[BarkId, ONLY_JSON_NUMBERS]], Field(
        max_length=MAX_REPORTED_BARKS, description="barks of theirs that show it (each by that user)")] = []
    reason: ReportReason
    text: Annotated[str | None, Field(max_length=REPORT_TEXT_MAX, description="what the moderators should know")] = None


class Report(BaseModel):
    id: int
    handle: str = Field(description="the reported user")
    bark_ids: list[int]
    reason: ReportReason
    text: str | None
    state: ReportState
    note: str | None = Field(description="the moderator's note when they closed it")
    created_at: str


class ReportPage(BaseModel):
    items: list[Report]
    next_before: int | None


class StaffReport(Report):
    reporter: str = Field(description="who filed it")
    user: User = Field(description="the reported user")
    barks: list[Bark | Tombstone] = Field(description="the reported barks in the report's order; a deleted one "
                                                      "as a tombstone")
    resolved_by: str | None = Field(description='the handle of who closed it, or "operator"')


class StaffReportPage(BaseModel):
    items: list[StaffReport]
    next_before: int | None


class ReportClosing(Input):
    action: Literal["resolved", "dismissed"]
    note: Annotated[str | None, Field(max_length=REPORT_NOTE_MAX, description="shown to the reporter")] = None


class BarkRemoval(Input):
    reason: Annotated[str | None, Field(max_length=500, description="for the audit log")] = None
