"""The appliance daemon: FastAPI app factory, routes by area, WebSocket progress, access control.

Import `scanner.service.app.create_app` explicitly; this package keeps FastAPI out of anything
the engine or `authscan scan` imports.
"""
