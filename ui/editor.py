"""Who may edit certification records, and the sign-in box.

Without configuration the app is read-only. Editors are recognised in one of two ways (see
``.streamlit/secrets.toml.example`` and the README):

- single sign-on: ``st.login()`` (OIDC, ``[auth]`` in secrets), then ``st.user.email`` must be
  in the ``[editors] emails`` allow-list;
- local accounts: a name and password checked against ``.streamlit/accounts.toml`` (argon2 hashes)
  by :func:`indicators.certification.accounts.verify`.

Session state key: ``editor`` (the signed-in local :class:`~indicators.certification.accounts.Account`).
Sign-in is rate-limited by :func:`indicators.certification.accounts.sign_in`; the password
field is cleared on submit and the password is never shown or logged.
"""

from __future__ import annotations

import streamlit as st

from indicators.certification import accounts
from indicators.present.formatting import escape_markdown


def _secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets.toml at all: nothing is configured
        return {}


def _allowed_emails() -> set[str]:
    emails = (_secrets().get("editors") or {}).get("emails") or []
    return {str(e).strip().lower() for e in emails}


def current_editor(writing: bool = False) -> accounts.Account | None:
    """The signed-in account (single sign-on on the allow-list, or a local account), or None
    for a visitor; with ``writing``, only an account whose role may write. The functions that
    write check the role again."""
    found = _signed_in()
    if writing and found is not None and found.role not in accounts.WRITE_ROLES:
        return None
    return found


def _signed_in() -> accounts.Account | None:
    user = st.user
    if getattr(user, "is_logged_in", False):
        found = accounts.from_identity_provider(str(user.get("email") or ""), _allowed_emails())
        if found is not None:
            return found
    local = st.session_state.get("editor")
    return local if isinstance(local, accounts.Account) else None


def sign_in_box() -> None:
    """Sign in / out controls in the sidebar, shown only where editing is configured."""
    oidc = "auth" in _secrets()
    local = accounts.accounts_path().exists()
    if not (oidc or local):
        return
    with st.sidebar:
        editor = current_editor()
        if editor:
            can = ("you can update certification records and load data"
                   if editor.role in accounts.WRITE_ROLES else "you can view, not edit")
            st.caption(f"Signed in as **{escape_markdown(editor.audit_name)}**: {can}.")
            if st.button("Sign out", key="sign_out"):
                st.session_state.pop("editor", None)
                if getattr(st.user, "is_logged_in", False):
                    st.logout()
                st.rerun()
            return
        with st.expander("Editors: sign in"):
            if oidc:
                if getattr(st.user, "is_logged_in", False):
                    st.caption(f"{st.user.get('email')} is not on the editors' list.")
                elif st.button("Sign in with your organisation", key="sign_in_oidc"):
                    st.login()
            if local:
                with st.form("sign_in_local", clear_on_submit=True):
                    name = st.text_input("Name")
                    password = st.text_input("Password", type="password")
                    if st.form_submit_button("Sign in"):
                        try:
                            st.session_state["editor"] = accounts.sign_in(name, password)
                        except accounts.SignInError as exc:
                            st.error(escape_markdown(str(exc)))
                        else:
                            st.rerun()
