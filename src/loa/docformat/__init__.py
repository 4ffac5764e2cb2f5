"""Official documents: party layout (36-HD/VPTW) as DOCX, PDF through LibreOffice, charts as PNG.

Plain Python with no Django import, so reports, the press review, the CLI and tests share it.
"""
