"""What the pages show, built without Streamlit: the queries they run (:mod:`.queries`),
numbers in words (:mod:`.formatting`), tables (:mod:`.tables`), plotly charts (:mod:`.charts`),
folium maps (:mod:`.maps`), the portfolio's views (:mod:`.portfolio`), the printable profile
(:mod:`.profile`), finding a district from what a resident types (:mod:`.places`) and the
Methodology page's text (:mod:`.methodology`)."""
