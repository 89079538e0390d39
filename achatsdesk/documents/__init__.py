"""Document writers: the Word clause annex, the PDF review report, the shortlist XLSX.

They take only the plain input shapes of ``documents.model`` (filled by
``services.exports``) and write through ``safe_output`` so that a failed
export never leaves a half-written file.
"""
