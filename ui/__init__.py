"""The Streamlit side the pages share, kept out of ``pages/`` (which holds only the page scripts
``app.py`` registers) and out of ``indicators/`` (which never imports Streamlit):

- :mod:`ui.data`: the read-only database connection and cached calls of
  :mod:`indicators.present.queries`, the certification records database;
- :mod:`ui.frame`: the navigation, the first-run build, the sidebar, the error boundary;
- :mod:`ui.widgets`: widgets several pages use (indicator chooser, legend, status date);
- :mod:`ui.editor`: who may edit certification records, and the sign-in box;
- :mod:`ui.project_forms`: the editor's forms on the Project page.
"""
