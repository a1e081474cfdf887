"""Every page and the static files, as one router."""

from pathlib import Path

from litestar import Router
from litestar.di import Provide
from litestar.static_files import create_static_files_router

from townsquare.web._account_pages import (
    login,
    login_form,
    logout,
    register,
    register_form,
    save_settings,
    settings_form,
    switch_language,
)
from townsquare.web._audit_pages import (
    audit_dataset_zip,
    audit_json_file,
    audit_run_page,
    audit_runs_page,
    latest_audit_dataset_zip,
    latest_audit_json_file,
    latest_audit_page,
)
from townsquare.web._election_pages import declare_election, election_page, elections_page
from townsquare.web._ledger_pages import ledger_entry_page, ledger_page
from townsquare.web._media_files import media_file
from townsquare.web._moderation_appeal_pages import (
    appeal_decision,
    appeals_page,
    file_appeal,
    notices_page,
)
from townsquare.web._moderation_pages import (
    approve_case,
    case_page,
    comment_on_case,
    decide_case,
    moderation_queue,
    reject_case,
    report_account,
    report_account_form,
    report_form,
    report_post,
    reveal_author,
    take_case,
)
from townsquare.web._moderation_public_pages import decisions_page, public_case_page, why_page
from townsquare.web._note_history_pages import note_history_page
from townsquare.web._note_pages import (
    impact_page,
    needs_rating_page,
    post_notes_page,
    rate_note,
    rate_note_form,
    request_note,
    write_note,
    write_note_form,
)
from townsquare.web._notes_run_pages import discard_held_run, held_runs_page, release_held_run
from townsquare.web._policy_pages import policies_page, policy_page
from townsquare.web._post_pages import compose, compose_form, post_action, thread, vote
from townsquare.web._profile_pages import account_action, profile
from townsquare.web._request_pages import (
    answer_request,
    log_request,
    request_page,
    requests_page,
    staff_request_page,
    staff_requests_page,
)
from townsquare.web._rule_pages import rule_page, rules_page
from townsquare.web._rule_review_pages import (
    answer_rule_review,
    rule_review_page,
    rule_reviews_page,
)
from townsquare.web._search_page import search
from townsquare.web._second_review_pages import (
    answer_second_review,
    second_review_page,
    second_reviews_page,
)
from townsquare.web._timeline_pages import home, notifications, public, tag
from townsquare.web._transparency_report_pages import (
    transparency_report_json,
    transparency_report_page,
    transparency_reports_page,
)
from townsquare.web._visitors import load_visitor

__all__ = ["STATIC_DIR", "web_router"]

STATIC_DIR = Path(__file__).parent / "static"
_ONE_DAY = 24 * 3600


def web_router() -> Router:
    """The server-rendered pages (each given the `visitor` dependency) and `/static/…`."""
    static = create_static_files_router(path="/static", directories=[STATIC_DIR])
    return Router(
        path="/",
        dependencies={"visitor": Provide(load_visitor, sync_to_thread=True)},
        include_in_schema=False,
        route_handlers=[
            home,
            public,
            tag,
            notifications,
            profile,
            account_action,
            thread,
            media_file,
            compose_form,
            compose,
            vote,
            post_action,
            search,
            ledger_page,
            ledger_entry_page,
            note_history_page,
            held_runs_page,
            release_held_run,
            discard_held_run,
            policies_page,
            rules_page,
            rule_page,
            policy_page,
            report_form,
            report_post,
            report_account_form,
            report_account,
            moderation_queue,
            case_page,
            take_case,
            comment_on_case,
            decide_case,
            approve_case,
            elections_page,
            declare_election,
            election_page,
            requests_page,
            request_page,
            staff_requests_page,
            log_request,
            staff_request_page,
            answer_request,
            reject_case,
            reveal_author,
            notices_page,
            file_appeal,
            appeals_page,
            appeal_decision,
            second_reviews_page,
            second_review_page,
            answer_second_review,
            rule_reviews_page,
            rule_review_page,
            answer_rule_review,
            decisions_page,
            public_case_page,
            why_page,
            transparency_reports_page,
            transparency_report_page,
            transparency_report_json,
            latest_audit_page,
            latest_audit_json_file,
            latest_audit_dataset_zip,
            audit_runs_page,
            audit_run_page,
            audit_json_file,
            audit_dataset_zip,
            post_notes_page,
            request_note,
            write_note_form,
            write_note,
            rate_note_form,
            rate_note,
            needs_rating_page,
            impact_page,
            login_form,
            login,
            logout,
            register_form,
            register,
            settings_form,
            save_settings,
            switch_language,
            static,
        ],
    )
