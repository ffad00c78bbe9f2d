"""Reading what was played: what caused what, how values moved, and after-action reports.

``consequences`` and ``history`` read records (their structured causes, never their words).
After-action reports (AAR/IP) and exercise packages are built from plain data and rendered:
``AarInput`` (what was played: scenario, seed, the finished exercise, its command log, the
improvement plan, session times) → :func:`sim.analysis.model.build_aar` → ``Aar`` (one
edition: players or controller) → a renderer (HTML, Markdown, JSON, PDF). Packages (the
Situation Manual, the Controller and Evaluator Handbook, the MSEL as CSV) come from the
scenario alone (:mod:`sim.analysis.pack`).
"""
