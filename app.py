"""The family online-safety plan (Streamlit). Run it with `streamlit run serve.py`, which adds
the security headers and session expiry (serving/); the app lives in `web/`."""
from serving import running_unprotected
from web.pages import main, unavailable

if running_unprotected():  # `streamlit run app.py`: no security headers, expired sessions kept
    unavailable(RuntimeError("started without serve.py: run `streamlit run serve.py`"))
else:
    main()
