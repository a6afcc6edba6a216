/*
 * Diagnostics: formatting, emission through a session, not-carried reports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const severity_names[] = {"note", "warning", "error", "fatal"};

const char *cw_severity_name(enum cw_severity sev)
{
	return (unsigned)sev < 4 ? severity_names[sev] : "error";
}

int cw_diag_format(const cw_diag *d, cw_buf *out)
{
	if (!d || !out)
		return CW_EINVAL;
	int rc = cw_buf_append(out, "crosswalk: ", CW_NUL);
	if (rc == CW_OK && d->file) {
		rc = cw_buf_append_escaped(out, d->file, CW_NUL);
		if (rc == CW_OK && d->at.line) {
			rc = cw_buf_printf(out, ":%lu", (unsigned long)d->at.line);
			if (rc == CW_OK && d->at.column)
				rc = cw_buf_printf(out, ":%lu", (unsigned long)d->at.column);
		}
		if (rc == CW_OK)
			rc = cw_buf_append(out, ": ", 2);
	}
	if (rc == CW_OK)
		rc = cw_buf_printf(out, "%s: ", cw_severity_name(d->severity));
	if (rc == CW_OK && d->record_id) {
		rc = cw_buf_putc(out, '[');
		if (rc == CW_OK)
			rc = cw_buf_append_escaped(out, d->record_id, CW_NUL);
		if (rc == CW_OK)
			rc = cw_buf_append(out, "] ", 2);
	}
	if (rc == CW_OK)
		rc = cw_buf_append_escaped(out, d->message ? d->message : "", CW_NUL);
	return rc;
}

int cw__diag_emitv(cw_session *s, enum cw_severity sev, enum cw_diag_kind kind, int code,
                   uint32_t line, uint32_t column, enum cw_field field, const char *detail,
                   const char *fmt, va_list ap)
{
	char small[512];
	char *msg = small;
	va_list ap2;
	va_copy(ap2, ap);
	int n = 0;
	small[0] = '\0';
	if (fmt)
		n = vsnprintf(small, sizeof small, fmt, ap);
	if (n >= (int)sizeof small) {
		msg = malloc((size_t)n + 1);
		if (msg)
			vsnprintf(msg, (size_t)n + 1, fmt, ap2);
		else
			msg = small; /* truncated message beats none */
	}
	va_end(ap2);
	cw_diag d = {
	    .struct_size = sizeof d,
	    .severity = sev,
	    .kind = kind,
	    .code = code,
	    .file = s ? cw_session_file(s) : NULL,
	    .at = {line, column},
	    .record_id = s ? cw__session_record(s) : NULL,
	    .plugin = s ? cw_session_format(s) : NULL,
	    .field = field,
	    .detail = detail,
	    .message = msg,
	    .format = fmt,
	};
	if (s)
		cw__context_emit(cw_session_context(s), &d);
	if (msg != small)
		free(msg);
	return code;
}

int cw_diag_emit(cw_session *s, enum cw_severity sev, int code, uint32_t line, uint32_t column,
                 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = cw__diag_emitv(s, sev, CW_DIAG_GENERAL, code, line, column, CW_FIELD_NONE, NULL,
	                        fmt, ap);
	va_end(ap);
	return rc;
}

static void not_carried(cw_session *s, const cw_record *rec, enum cw_field f, const char *detail,
                        const char *fmt, ...) CW_PRINTF(5, 6);

static void not_carried(cw_session *s, const cw_record *rec, enum cw_field f, const char *detail,
                        const char *fmt, ...)
{
	/* name rec for this report only: a child's report must not leave its
	 * label on the session, where the parent's later reports would take it */
	const char *label = cw_record_label(rec);
	const char *prev = cw__session_record(s);
	char *saved = NULL;
	if (label && prev && strcmp(label, prev) != 0) {
		size_t n = strlen(prev) + 1;
		saved = malloc(n);
		if (saved)
			memcpy(saved, prev, n);
	}
	if (label)
		cw_session_set_record(s, label);
	va_list ap;
	va_start(ap, fmt);
	cw__diag_emitv(s, cw_session_strict(s) ? CW_SEV_ERROR : CW_SEV_WARNING, CW_DIAG_NOT_CARRIED,
	               cw_session_strict(s) ? CW_ESTRICT : CW_OK, 0, 0, f, detail, fmt, ap);
	va_end(ap);
	if (label && (!prev || saved))
		cw_session_set_record(s, saved);
	free(saved);
}

void cw_diag_not_carried(cw_session *s, const cw_record *rec, enum cw_field f,
                         const char *detail_fmt, ...)
{
	cw_buf detail = CW_BUF_INIT;
	if (detail_fmt) {
		char small[512];
		va_list ap;
		va_start(ap, detail_fmt);
		vsnprintf(small, sizeof small, detail_fmt, ap);
		va_end(ap);
		cw_buf_append(&detail, small, CW_NUL);
	}
	const char *name = cw_field_name(f);
	if (detail.len && !name)
		/* no one field: the detail says what ("type book (written as @misc)") */
		not_carried(s, rec, f, NULL, "not carried by %s: %s", cw_session_format(s), detail.data);
	else if (detail.len)
		not_carried(s, rec, f, NULL, "not carried by %s: %s (%s)", cw_session_format(s), name,
		            detail.data);
	else
		not_carried(s, rec, f, NULL, "not carried by %s: %s", cw_session_format(s),
		            name ? name : "field");
	cw_buf_free(&detail);
}

size_t cw_diag_uncarried(cw_session *s, const cw_record *rec, const enum cw_field *carried,
                         size_t n)
{
	unsigned char ok[CW_FIELD_COUNT_] = {0};
	for (size_t i = 0; i < n; i++)
		if ((int)carried[i] > 0 && (int)carried[i] < CW_FIELD_COUNT_)
			ok[carried[i]] = 1;
	size_t count = 0;
	for (enum cw_field f = cw_record_next_field(rec, CW_FIELD_NONE); f;
	     f = cw_record_next_field(rec, f)) {
		if (ok[f])
			continue;
		cw_diag_not_carried(s, rec, f, NULL);
		count++;
	}
	return count;
}

size_t cw_diag_uncarried_passthrough(cw_session *s, const cw_record *rec, const char *own_format)
{
	if (!own_format)
		own_format = cw_session_format(s);
	size_t count = 0, n = cw_record_passthrough_count(rec);
	for (size_t i = 0; i < n; i++) {
		const cw_passthrough *p = cw_record_passthrough(rec, i);
		if (own_format && strcmp(p->format, own_format) == 0)
			continue;
		if (p->name[0] == '.')
			continue; /* a hint for its own format's writer, not data */
		cw_buf detail = CW_BUF_INIT;
		cw_buf_printf(&detail, "%s:%s", p->format, p->name);
		not_carried(s, rec, CW_FIELD_NONE, cw_buf_str(&detail),
		            "not carried by %s: %s field \"%s\"", cw_session_format(s), p->format,
		            p->name);
		cw_buf_free(&detail);
		count++;
	}
	return count;
}
