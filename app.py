"""The family online-safety plan (Streamlit): `streamlit run app.py`. The app lives in `web/`."""
from web.pages import main

main()
