"""The Streamlit app: it only gathers answers and shows or downloads what `plan` returns.

    draft.py      the session's copy of the answers, and its conversions
    steps.py      the wizard's four steps
    downloads.py  files made in the script run and kept while the answers stay the same
    pages.py      the pages (wizard, For schools, Privacy) and `main`
    scripts.py    Quick exit and the focus script
    service.py    the content and the host's site, loaded once per process
"""
