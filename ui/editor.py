"""Who may edit certification records, and the sign-in box.

Without configuration the app is read-only. Editors are recognised in one of two ways (see
``.streamlit/secrets.toml.example`` and the README):

- single sign-on: ``st.login()`` (OIDC, ``[auth]`` in secrets), then ``st.user.email`` must be
  in the ``[editors] emails`` allow-list;
- local accounts: a name and password checked against ``.streamlit/accounts.toml`` (argon2 hashes)
  by :func:`indicators.certification.accounts.verify`.

Session state key: ``editor`` (the signed-in local account's display name and user name).
"""

from __future__ import annotations

import streamlit as st

from indicators.certification import accounts


def _secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets.toml at all: nothing is configured
        return {}


def _allowed_emails() -> set[str]:
    emails = (_secrets().get("editors") or {}).get("emails") or []
    return {str(e).strip().lower() for e in emails}


def current_editor() -> str | None:
    """The signed-in editor's name for the audit log, or None for a visitor."""
    user = st.user
    if getattr(user, "is_logged_in", False):
        email = str(user.get("email") or "").lower()
        if email and email in _allowed_emails():
            return email
    local = st.session_state.get("editor")
    return f"{local['display_name']} ({local['username']})" if local else None


def sign_in_box() -> None:
    """Sign in / out controls in the sidebar, shown only where editing is configured."""
    oidc = "auth" in _secrets()
    local = accounts.accounts_path().exists()
    if not (oidc or local):
        return
    with st.sidebar:
        editor = current_editor()
        if editor:
            st.caption(f"Signed in as **{editor}**: you can update certification records.")
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
                        account = accounts.verify(name, password)
                        if account is None:
                            st.error("That name and password do not match an editor account.")
                        else:
                            st.session_state["editor"] = {"username": account.username,
                                                          "display_name": account.display_name}
                            st.rerun()
