"""Request and response shapes of the public API (pydantic v2). Stores render views in exactly these
shapes; tests validate every response against its declared model."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from barker import validation

# Raw-length caps bound the work before the exact rules (which count code points after NFC) run.
Handle = Annotated[str, Field(max_length=30, examples=["ada_l"]), AfterValidator(validation.handle)]
Password = Annotated[str, Field(max_length=1024), AfterValidator(validation.password)]
DisplayName = Annotated[str, Field(max_length=500), AfterValidator(validation.display_name)]
Bio = Annotated[str, Field(max_length=3000), AfterValidator(validation.bio)]
BarkText = Annotated[str, Field(max_length=3000), AfterValidator(validation.bark_text)]
Emoji = Annotated[str, Field(max_length=64, examples=["🐶"]), AfterValidator(validation.reaction_emoji)]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SignUp(Input):
    handle: Handle
    password: Password
    display_name: DisplayName | None = None
    bio: Bio = ""


class LogIn(Input):
    handle: Annotated[str, Field(max_length=64)]
    password: Annotated[str, Field(max_length=1024)]


class ProfileEdit(Input):
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


class NewBark(Input):
    text: BarkText


class NewReaction(Input):
    emoji: Emoji


class User(BaseModel):
    id: int
    handle: str
    display_name: str
    bio: str
    created_at: str
    followers_count: int
    following_count: int
    barks_count: int
    following: bool = Field(description="the caller follows this user")
    followed_by: bool = Field(description="this user follows the caller")


class Session(BaseModel):
    token: str
    token_type: str = "bearer"
    expires_at: str
    user: User


class Author(BaseModel):
    id: int
    handle: str
    display_name: str


class Bark(BaseModel):
    id: int
    created_at: str
    author: Author
    text: str | None = Field(description="null for a rebark; the content is in rebark_of")
    reactions: dict[str, int] = Field(description="count per emoji")
    my_reactions: list[str]
    rebark_count: int
    rebarked_by_me: bool
    rebark_of: Bark | None = Field(description="for a rebark, the original bark")


class BarkPage(BaseModel):
    items: list[Bark]
    next_before: int | None = Field(description="pass as before= to get the next (older) page")


class UserPage(BaseModel):
    items: list[User]
    next_before: int | None


class BarkEvent(BaseModel):
    seq: int = Field(description="position in your stream; for a live_only bark, the last seq sent before it")
    type: Literal["bark"]
    bark: Bark
    live_only: bool = Field(False, description="a bark by an author above the fan-out threshold: sent "
                                               "live only, never replayed (it is in your home timeline)")


class ReactionEvent(BaseModel):
    seq: int
    type: Literal["reaction"]
    bark_id: int
    emoji: str
    user: Author = Field(description="who reacted to your bark")


class FollowerEvent(BaseModel):
    seq: int
    type: Literal["follower"]
    user: User = Field(description="your new follower")


StreamEvent = Annotated[BarkEvent | ReactionEvent | FollowerEvent, Field(discriminator="type")]


class StreamEvents(BaseModel):
    events: list[StreamEvent]
    last_seq: int = Field(description="pass as after= to continue")
    gap: bool = Field(description="events after your cursor were trimmed away: reload your home timeline")


Latitude = Annotated[float, Field(strict=True, ge=-90, le=90, allow_inf_nan=False, examples=[52.52])]
Longitude = Annotated[float, Field(strict=True, ge=-180, le=180, allow_inf_nan=False, examples=[13.405])]


class Location(Input):
    """Your position (WGS 84 degrees). Only you ever see it; others see a rounded distance."""

    lat: Latitude
    lon: Longitude


class NearbyUser(BaseModel):
    user: User
    distance_km: int = Field(description="great-circle distance, rounded up to whole kilometres (at least 1)")


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
