"""The UTO specimen renderer: the synthetic test world and the simulated reader's pages.

`render_specimen` draws one page (genuine or forged, as SPECIMENS.md describes physically)
under white, IR and UV light as a reader would capture it, with a ground-truth label;
`generate` writes sets of capture folders.
"""

from drivers.specimen.generate import generate
from drivers.specimen.render import FORGERIES, MODELS, render_specimen

__all__ = ["FORGERIES", "MODELS", "generate", "render_specimen"]
