"""Reports sent upward ("báo cáo" under Decree 30/2020/NĐ-CP): for an agency or a province and a
period, a draft with the heading block and editable texts (``models``), filled from the data by
``services``, its content as of the period's cut-off gathered by ``content``, read within the
user's scope by ``selectors``, and drawn as DOCX (``word``) and PDF (``pdf``) from the same data.
"""
