"""Official Party documents (KẾ HOẠCH, BÁO CÁO, THÔNG BÁO…): the one layer that
lays them out and renders them.

Builders in the domain apps (a plan, a unit's report, a consolidated report, a
dialogue plan, a meeting's notice) produce an :class:`~documents.content.OfficialDocument`
and hand it over; only this app renders:

- ``content``     the document model (blocks, annexes, tables);
- ``formatting``  dates ("ngày 25 tháng 02 năm 2020"), numbers ("1.234,5"), recipients;
- ``numbering``   document types (KH, BC, TB…), "Số 279-KH/TU", the blank left for
                  a number written in by hand;
- ``richtext``    sanitised rich text and its paragraphs; ``forms`` its field and widget;
- ``html``, ``pdf``, ``docx``  the renderers (WeasyPrint and python-docx are used
                  nowhere else); ``rendering.render`` picks one by format;
- ``responses``   ``document_response`` and ``file_download``: every download goes
                  through Django's FileResponse;
- ``checks``      system checks for what PDF rendering needs.

The app owns the templates under ``documents/templates/documents/``, and also the
print stylesheet ``static/css/document.css`` and the bundled fonts
``static/fonts/`` (they stay in the project's static folder, where offices look
to adjust a size). It imports no domain app: everything above depends on it,
never the other way round.
"""
