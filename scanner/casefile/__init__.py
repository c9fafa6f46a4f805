"""Case-file delivery: the outbox worker, the PDF report and the connectors to the e-Akte."""
