"""The facilitator console (Textual). A thin client of the `sim` engine."""
