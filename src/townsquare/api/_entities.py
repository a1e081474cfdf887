"""Mastodon entities (Account, Status, MediaAttachment, Relationship, Notification, Tag,
Application, Token) and how microblog values become them. The only module that knows their
JSON shape.

Entities are msgspec Structs: Litestar encodes them without an intermediate dict, which is
what keeps a 40-post home timeline cheap. Ids are strings, as Mastodon clients expect.
"""

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from html import escape

import msgspec

from townsquare.microblog import (
    Account,
    Conversation,
    LabelledBecause,
    Links,
    MediaAttachment,
    MediaVariant,
    NotificationType,
    NotificationView,
    PollView,
    Post,
    PostLabel,
    PostVersion,
    PostView,
    Relationship,
    ScheduledPost,
    ShownNote,
)

__all__ = [
    "AccountEntity",
    "ApplicationEntity",
    "ConversationEntity",
    "MediaAttachmentEntity",
    "NoteEntity",
    "NotificationEntity",
    "PollEntity",
    "RelationshipEntity",
    "Renderer",
    "ScheduledStatusEntity",
    "StatusEditEntity",
    "StatusEntity",
    "StatusSourceEntity",
    "TagEntity",
    "TokenEntity",
    "iso_datetime",
    "mastodon_notification_type",
    "poll_entity",
]


def iso_datetime(moment: datetime) -> str:
    """Mastodon's timestamp format: UTC, milliseconds, `Z`."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


class Source(msgspec.Struct, kw_only=True):
    privacy: str
    sensitive: bool
    language: str
    note: str
    fields: list[dict[str, str]]
    follow_requests_count: int = 0


class AccountEntity(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: str
    username: str
    acct: str
    display_name: str
    locked: bool
    bot: bool
    group: bool
    discoverable: bool
    indexable: bool
    noindex: bool
    created_at: str
    note: str
    url: str
    uri: str
    avatar: str
    avatar_static: str
    header: str
    header_static: str
    followers_count: int
    following_count: int
    statuses_count: int
    last_status_at: str | None
    emojis: list[object]
    fields: list[object]
    source: Source | None = None


class MentionEntity(msgspec.Struct, kw_only=True):
    id: str
    username: str
    acct: str
    url: str


class TagEntity(msgspec.Struct, kw_only=True):
    name: str
    url: str
    history: list[object] = msgspec.field(default_factory=list)


class ImageSize(msgspec.Struct, kw_only=True):
    width: int
    height: int
    size: str  # "640x480", as Mastodon writes it
    aspect: float


class Focus(msgspec.Struct, kw_only=True):
    x: float
    y: float


class MediaMeta(msgspec.Struct, kw_only=True):
    original: ImageSize
    small: ImageSize
    focus: Focus


class MediaAttachmentEntity(msgspec.Struct, kw_only=True):
    """An image attachment. Its files are served by this server to whoever may see the
    post it is attached to (`url`, `preview_url`); nothing comes from elsewhere."""

    id: str
    type: str
    url: str
    preview_url: str
    remote_url: None
    preview_remote_url: None
    text_url: None
    meta: MediaMeta
    description: str | None
    blurhash: str


class TownsquareExtension(msgspec.Struct, kw_only=True):
    """Townsquare's additions to a Status: labels the visibility port attached, and the
    community notes shown on it."""

    labels: list[str]
    notes: list["NoteEntity"] = msgspec.field(default_factory=list)


class NoteEntity(msgspec.Struct, kw_only=True):
    """A community note shown on a status: readers rated it helpful across viewpoints."""

    id: str
    text: str
    sources: list[str]
    status: str = "CURRENTLY_RATED_HELPFUL"
    decided_at: str


class QuoteEntity(msgspec.Struct, kw_only=True):
    """Mastodon 4.5's quote wrapper."""

    state: str
    quoted_status: "StatusEntity"


class StatusEntity(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: str
    uri: str
    url: str
    created_at: str
    account: AccountEntity
    content: str
    visibility: str
    sensitive: bool
    spoiler_text: str
    media_attachments: list[MediaAttachmentEntity]
    mentions: list[MentionEntity]
    tags: list[TagEntity]
    emojis: list[object]
    reblogs_count: int
    favourites_count: int
    replies_count: int
    in_reply_to_id: str | None
    in_reply_to_account_id: str | None
    reblog: "StatusEntity | None"
    quote: QuoteEntity | None
    poll: "PollEntity | None"
    card: None
    language: str | None
    edited_at: str | None
    favourited: bool
    reblogged: bool
    muted: bool
    bookmarked: bool
    pinned: bool
    filtered: list[object]
    townsquare: TownsquareExtension
    # The source text, returned only by DELETE (Mastodon's "delete and redraft").
    text: str | None = None


class PollOptionEntity(msgspec.Struct, kw_only=True):
    title: str
    votes_count: int | None


class PollEntity(msgspec.Struct, kw_only=True):
    """A poll as the reader sees it (Mastodon's Poll; its id is its post's)."""

    id: str
    expires_at: str
    expired: bool
    multiple: bool
    votes_count: int
    voters_count: int
    options: list[PollOptionEntity]
    emojis: list[object]
    voted: bool
    own_votes: list[int]


def poll_entity(poll: PollView) -> PollEntity:
    return PollEntity(
        id=str(poll.post_id),
        expires_at=iso_datetime(poll.expires_at),
        expired=poll.expired,
        multiple=poll.multiple,
        votes_count=poll.votes_count,
        voters_count=poll.voters_count,
        options=[PollOptionEntity(title=t, votes_count=n) for t, n in poll.options],
        emojis=[],
        voted=poll.voted,
        own_votes=list(poll.own_votes),
    )


class StatusEditEntity(msgspec.Struct, kw_only=True):
    """One version of a status (Mastodon's StatusEdit), as GET /statuses/:id/history lists."""

    content: str
    spoiler_text: str
    sensitive: bool
    created_at: str
    account: AccountEntity
    poll: None
    media_attachments: list[object]
    emojis: list[object]


class ScheduledParams(msgspec.Struct, kw_only=True):
    text: str
    spoiler_text: str
    sensitive: bool
    visibility: str
    language: str | None
    in_reply_to_id: str | None
    media_ids: list[str] | None
    poll: None
    idempotency: None
    scheduled_at: None
    application_id: None


class ScheduledStatusEntity(msgspec.Struct, kw_only=True):
    """A status waiting to be published (Mastodon's ScheduledStatus)."""

    id: str
    scheduled_at: str
    params: ScheduledParams
    media_attachments: list[object]


class ConversationEntity(msgspec.Struct, kw_only=True):
    """A thread of direct posts (Mastodon's Conversation)."""

    id: str
    unread: bool
    accounts: list[AccountEntity]
    last_status: StatusEntity


class StatusSourceEntity(msgspec.Struct, kw_only=True):
    """What the author wrote, for editing it (Mastodon's StatusSource)."""

    id: str
    text: str
    spoiler_text: str


class RelationshipEntity(msgspec.Struct, kw_only=True):
    id: str
    following: bool
    showing_reblogs: bool
    notifying: bool
    languages: list[str] | None
    followed_by: bool
    blocking: bool
    blocked_by: bool
    muting: bool
    muting_notifications: bool
    requested: bool
    requested_by: bool
    domain_blocking: bool
    endorsed: bool
    note: str


class AccountWarningEntity(msgspec.Struct, kw_only=True):
    """Mastodon 4.3's AccountWarning, which a `moderation_warning` notification carries.
    `action` is always "none" (Mastodon's word for a warning): Townsquare's actions do not
    map onto Mastodon's strikes, so `text` says where the notice is, with the action taken,
    its reasons and how to appeal."""

    id: str
    action: str
    text: str
    status_ids: list[str] | None
    target_account: AccountEntity
    appeal: None
    created_at: str


class NotificationEntity(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A notification. A moderation one (`moderation_warning`, `townsquare.*`) comes from
    its own recipient, as Mastodon's moderation warnings do, and links to its notice in
    `townsquare_notice_url` (absent on other notifications)."""

    id: str
    type: str
    group_key: str
    created_at: str
    account: AccountEntity
    status: StatusEntity | None
    moderation_warning: AccountWarningEntity | None = None
    townsquare_notice_url: str | None = None


class ApplicationEntity(msgspec.Struct, kw_only=True):
    id: str
    name: str
    website: str | None
    scopes: list[str]
    redirect_uri: str
    redirect_uris: list[str]
    client_id: str
    client_secret: str
    client_secret_expires_at: int = 0
    vapid_key: str = ""


class TokenEntity(msgspec.Struct, kw_only=True):
    access_token: str
    token_type: str
    scope: str
    created_at: int


_SHARED_STATUSES = 20_000  # statuses kept built: two full pages for each of 500 readers, ×20
_NO_EXTENSION = TownsquareExtension(labels=[])


def mastodon_notification_type(kind: NotificationType) -> str:
    """Mastodon has no separate 'reply' notification: a reply is a mention."""
    return "mention" if kind == NotificationType.REPLY else kind.value


class Renderer:
    """Builds entities from microblog values.

    What a status shows to everyone — its text, author, mentions, tags and counts — is built
    once per version of the post and kept (`_shared_status`, keyed by the values themselves,
    so any change to the post or its author is a new key); what depends on the reader —
    the visibility port's presentation, their likes and reposts — is laid over it on every
    request, so a moderation decision shows on the very next one.
    """

    def __init__(self, links: Links) -> None:
        self._links = links

    def account(self, account: Account) -> AccountEntity:
        return _account_entity(account, self._links)

    def credential_account(self, account: Account, *, follow_requests: int = 0) -> AccountEntity:
        """The signed-in user's own account, with its editable `source` and how many
        follow requests wait for it."""
        return msgspec.structs.replace(
            self.account(account),
            source=Source(
                privacy="public",
                sensitive=False,
                language=account.locale or "",
                note=account.bio,
                fields=[],
                follow_requests_count=follow_requests,
            ),
        )

    def media_attachment(self, attachment: MediaAttachment) -> MediaAttachmentEntity:
        return _media_entity(attachment, self._links)

    def statuses(self, views: Iterable[PostView]) -> list[StatusEntity]:
        return [self.status(v) for v in views]

    def status(self, view: PostView, *, source_text: bool = False) -> StatusEntity:
        post = view.post
        inner = self.status(view.reblog) if view.reblog is not None else None
        presentation = view.presentation
        quote = view.quote
        shared = _shared_status(
            post, view.author, view.mentions, view.tags, view.media, self._links
        )
        return msgspec.structs.replace(
            shared,
            content="" if inner else post.content_html + notes_section(presentation.notes),
            sensitive=post.sensitive or bool(presentation.content_warning),
            spoiler_text=presentation.content_warning or post.spoiler_text,
            reblog=inner,
            quote=QuoteEntity(state="accepted", quoted_status=self.status(quote))
            if quote is not None and quote.presentation.visible
            else None,
            favourited=inner.favourited if inner else view.favourited,
            reblogged=inner.reblogged if inner else view.reblogged,
            bookmarked=inner.bookmarked if inner else view.bookmarked,
            pinned=False if inner else view.pinned,
            poll=None if inner or view.poll is None else poll_entity(view.poll),
            townsquare=TownsquareExtension(
                labels=[_in_english(x) for x in presentation.labels],
                notes=[_note(note) for note in presentation.notes],
            ),
            text=post.text if source_text else None,
        )

    def history(self, view: PostView, versions: Iterable[PostVersion]) -> list[StatusEditEntity]:
        """The versions of the status `view` shows, oldest first, each presented as the
        status is now: a moderation interstitial covers every version, not only the last."""
        warning = view.presentation.content_warning
        author = self.account(view.author)
        return [
            StatusEditEntity(
                content=version.content_html,
                spoiler_text=warning or version.spoiler_text,
                sensitive=version.sensitive or bool(warning),
                created_at=iso_datetime(version.created_at),
                account=author,
                poll=None,
                media_attachments=[],
                emojis=[],
            )
            for version in versions
        ]

    def conversation(self, conversation: Conversation) -> ConversationEntity:
        return ConversationEntity(
            id=str(conversation.id),
            unread=False,  # read state is not kept
            accounts=[self.account(a) for a in conversation.accounts],
            last_status=self.status(conversation.last),
        )

    @staticmethod
    def scheduled(scheduled: ScheduledPost) -> ScheduledStatusEntity:
        draft = scheduled.draft
        return ScheduledStatusEntity(
            id=str(scheduled.id),
            scheduled_at=iso_datetime(scheduled.scheduled_at),
            params=ScheduledParams(
                text=draft.text,
                spoiler_text=draft.spoiler_text,
                sensitive=draft.sensitive,
                visibility=draft.visibility.value,
                language=draft.language,
                in_reply_to_id=_optional_id(draft.in_reply_to_id),
                media_ids=None,
                poll=None,
                idempotency=None,
                scheduled_at=None,
                application_id=None,
            ),
            media_attachments=[],
        )

    @staticmethod
    def source(post: Post) -> StatusSourceEntity:
        return StatusSourceEntity(id=str(post.id), text=post.text, spoiler_text=post.spoiler_text)

    @staticmethod
    def relationship(relationship: Relationship) -> RelationshipEntity:
        return RelationshipEntity(
            id=str(relationship.id),
            following=relationship.following,
            showing_reblogs=relationship.following,
            notifying=False,
            languages=None,
            followed_by=relationship.followed_by,
            blocking=relationship.blocking,
            blocked_by=relationship.blocked_by,
            muting=relationship.muting,
            muting_notifications=relationship.muting,
            requested=relationship.requested,
            requested_by=relationship.requested_by,
            domain_blocking=False,
            endorsed=False,
            note="",
        )

    def notification(self, notification: NotificationView) -> NotificationEntity:
        entity = NotificationEntity(
            id=str(notification.id),
            type=mastodon_notification_type(notification.type),
            group_key=f"ungrouped-{notification.id}",
            created_at=iso_datetime(notification.created_at),
            account=self.account(notification.account),
            status=self.status(notification.post) if notification.post else None,
        )
        if notification.action_id is None:
            return entity
        url = f"{self._links.base_url}/notices#notice-{notification.action_id}"
        warning = None
        if notification.type == NotificationType.MODERATION_WARNING:
            warning = AccountWarningEntity(
                id=str(notification.action_id),
                action="none",
                text=f"Moderators took a decision about your post or account: {url}",
                status_ids=None,
                target_account=entity.account,
                appeal=None,
                created_at=entity.created_at,
            )
        return msgspec.structs.replace(
            entity, moderation_warning=warning, townsquare_notice_url=url
        )

    def tag(self, name: str) -> TagEntity:
        return TagEntity(name=name, url=self._links.tag(name))


@lru_cache(maxsize=4096)
def _account_entity(account: Account, links: Links) -> AccountEntity:
    """An account as Mastodon shows it; kept for each version of the account."""
    url = links.account(account.username)
    avatar = f"{links.base_url}/static/avatar.png"
    header = f"{links.base_url}/static/header.png"
    return AccountEntity(
        id=str(account.id),
        username=account.username,
        acct=account.username,
        display_name=account.display_name,
        locked=account.locked,
        bot=False,
        group=False,
        discoverable=True,
        indexable=True,
        noindex=False,
        created_at=iso_datetime(account.created_at),
        note=account.bio_html,
        url=url,
        uri=url,
        avatar=avatar,
        avatar_static=avatar,
        header=header,
        header_static=header,
        followers_count=account.followers_count,
        following_count=account.following_count,
        statuses_count=account.statuses_count,
        last_status_at=account.last_status_at.date().isoformat()
        if account.last_status_at
        else None,
        emojis=[],
        fields=[],
    )


@lru_cache(maxsize=_SHARED_STATUSES)
def _shared_status(
    post: Post,
    author: Account,
    mentions: tuple[Account, ...],
    tags: tuple[str, ...],
    media: tuple[MediaAttachment, ...],
    links: Links,
) -> StatusEntity:
    """What a status shows whoever reads it, for this version of the post, its author, its
    mentions and tags (the key: any change to one is another entry). The reader's part is
    left at its defaults for `Renderer.status` to lay over."""
    url = links.post(author.username, post.id)
    return StatusEntity(
        id=str(post.id),
        uri=url,
        url=url,
        created_at=iso_datetime(post.created_at),
        account=_account_entity(author, links),
        content=post.content_html,
        visibility=post.visibility.value,
        sensitive=post.sensitive,
        spoiler_text=post.spoiler_text,
        media_attachments=[_media_entity(m, links) for m in media],
        mentions=[
            MentionEntity(
                id=str(a.id), username=a.username, acct=a.username, url=links.account(a.username)
            )
            for a in mentions
        ],
        tags=[TagEntity(name=t, url=links.tag(t)) for t in tags],
        emojis=[],
        reblogs_count=post.reblogs_count,
        favourites_count=post.favourites_count,
        replies_count=post.replies_count,
        in_reply_to_id=_optional_id(post.in_reply_to_id),
        in_reply_to_account_id=_optional_id(post.in_reply_to_account_id),
        reblog=None,
        quote=None,
        poll=None,
        card=None,
        language=post.language,
        edited_at=None if post.edited_at is None else iso_datetime(post.edited_at),
        favourited=False,
        reblogged=False,
        muted=False,
        bookmarked=False,
        pinned=False,
        filtered=[],
        townsquare=_NO_EXTENSION,
    )


def _image_size(width: int, height: int) -> ImageSize:
    return ImageSize(
        width=width, height=height, size=f"{width}x{height}", aspect=round(width / height, 6)
    )


def _media_entity(attachment: MediaAttachment, links: Links) -> MediaAttachmentEntity:
    return MediaAttachmentEntity(
        id=str(attachment.id),
        type="image",
        url=links.media(attachment.id, MediaVariant.ORIGINAL),
        preview_url=links.media(attachment.id, MediaVariant.SMALL),
        remote_url=None,
        preview_remote_url=None,
        text_url=None,
        meta=MediaMeta(
            original=_image_size(attachment.width, attachment.height),
            small=_image_size(attachment.small_width, attachment.small_height),
            focus=Focus(x=attachment.focus_x, y=attachment.focus_y),
        ),
        description=attachment.description or None,
        blurhash=attachment.blurhash,
    )


def _optional_id(value: int | None) -> str | None:
    return None if value is None else str(value)


def _in_english(label: PostLabel) -> str:
    """A label's words for API clients, which get English (the web words it per reader)."""
    if label.text:
        return label.text
    rule = f"“{label.title_in('en')}” ({label.clause})"
    if label.because == LabelledBecause.REACH_REDUCED:
        return f"Reach reduced ({', '.join(label.surfaces)}) under the rule {rule}"
    return f"Labelled under the rule {rule}"


def _note(note: ShownNote) -> NoteEntity:
    return NoteEntity(
        id=str(note.note_id),
        text=note.text,
        sources=list(note.sources),
        decided_at=iso_datetime(note.decided_at),
    )


def notes_section(notes: Sequence[ShownNote]) -> str:
    """The community notes as a clearly marked section appended to a status's `content`,
    for Mastodon apps that know nothing of notes: HTML built from escaped text only."""
    parts = []
    for note in notes:
        links = ", ".join(
            f'<a href="{escape(source)}" rel="nofollow noopener noreferrer">{escape(source)}</a>'
            for source in note.sources
        )
        sources = f"<br>Sources: {links}" if links else ""
        parts.append(
            "<p><strong>Readers added context</strong><br>"
            f"{escape(note.text)}{sources}<br>"
            "<em>Rated helpful by people who often disagree.</em></p>"
        )
    return "".join(parts)
