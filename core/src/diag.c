/*
 * Diagnostics: formatting, emission through a session, not-carried reports.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A message longer than this is cut: the backstop for what no rule below
 * bounds (a plugin's own composed text). */
#define MESSAGE_MAX 4096

int cw__diag_clip(cw_buf *out, const char *s, size_t len)
{
	if (len == CW_NUL)
		len = strnlen(s, CW_DIAG_QUOTE_MAX + 1); /* all it needs to know */
	if (len <= CW_DIAG_QUOTE_MAX)
		return cw_buf_append(out, s, len);
	size_t cut = CW_DIAG_QUOTE_MAX;
	/* back to the start of a UTF-8 sequence (at most three continuation
	 * bytes: broken input is escaped later, never made worse here) */
	for (int i = 0; i < 3 && cut && ((unsigned char)s[cut] & 0xC0) == 0x80; i++)
		cut--;
	int rc = cw_buf_append(out, s, cut);
	return rc ? rc : cw_buf_append(out, "\xE2\x80\xA6", 3); /* "…" */
}

static const char *const severity_names[] = {"note", "warning", "error", "fatal"};

static const char *const code_names[] = {
#define X(id, name, doc) [CW_DIAG_CODE_##id] = name,
    CW_DIAG_CODES(X)
#undef X
};

const char *cw_diag_code_name(enum cw_diag_code code)
{
	return (unsigned)code < CW_DIAG_CODE_COUNT_ ? code_names[code] : "";
}

enum cw_diag_code cw_diag_code_from_name(const char *name, size_t len)
{
	if (!name)
		return CW_DIAG_CODE_NONE;
	if (len == CW_NUL)
		len = strlen(name);
	for (unsigned i = 1; i < CW_DIAG_CODE_COUNT_; i++)
		if (strlen(code_names[i]) == len && memcmp(code_names[i], name, len) == 0)
			return (enum cw_diag_code)i;
	return CW_DIAG_CODE_NONE;
}

/* The code of a diagnostic from what it says, and the role of its stage. */
static enum cw_diag_code derive_code(const cw_diag *d, int accepted, enum cw__stage_role role)
{
	if (d->kind == CW_DIAG_NOT_CARRIED)
		return accepted ? CW_DIAG_CODE_ACCEPTED_LOSS : CW_DIAG_CODE_NOT_CARRIED;
	if (d->severity == CW_SEV_NOTE)
		return CW_DIAG_CODE_NOTE;
	switch (d->code) {
	case CW_ELIMIT:
		return CW_DIAG_CODE_LIMIT;
	case CW_ERECORD:
		return CW_DIAG_CODE_SKIPPED_RECORD;
	case CW_EINVAL:
	case CW_ENOTFOUND:
		return CW_DIAG_CODE_USAGE;
	case CW_ENOMEM:
		return CW_DIAG_CODE_INTERNAL;
	case CW_EABI:
		return CW_DIAG_CODE_PLUGIN;
	case CW_EIO:
		return role == CW__STAGE_WRITER ? CW_DIAG_CODE_OUTPUT_ERROR
		                                : CW_DIAG_CODE_INPUT_ERROR;
	default:
		break;
	}
	if (d->severity == CW_SEV_WARNING)
		return role == CW__STAGE_WRITER   ? CW_DIAG_CODE_DEGRADED
		       : role == CW__STAGE_READER ? CW_DIAG_CODE_INPUT_WARNING
		                                  : CW_DIAG_CODE_WARNING;
	return CW_DIAG_CODE_BAD_INPUT;
}

enum cw_diag_code cw_diag_code_of(const cw_diag *d)
{
	if (!d)
		return CW_DIAG_CODE_NONE;
	int has_new = d->struct_size >= offsetof(cw_diag, diag_code) + sizeof d->diag_code;
	if (has_new && d->diag_code > CW_DIAG_CODE_NONE && d->diag_code < CW_DIAG_CODE_COUNT_)
		return d->diag_code;
	return derive_code(d, has_new && d->accepted, CW__STAGE_OTHER);
}

enum cw_loss_kind cw_diag_loss_kind(const cw_diag *d)
{
	if (!d || d->kind != CW_DIAG_NOT_CARRIED ||
	    d->struct_size < offsetof(cw_diag, loss_kind) + sizeof d->loss_kind)
		return CW_LOSS_DROPPED;
	return d->loss_kind == CW_LOSS_DEGRADED ? CW_LOSS_DEGRADED : CW_LOSS_DROPPED;
}

const char *cw_loss_kind_name(enum cw_loss_kind kind)
{
	switch (kind) {
	case CW_LOSS_DROPPED:
		return "dropped";
	case CW_LOSS_DEGRADED:
		return "degraded";
	}
	return "";
}

const char *cw_severity_name(enum cw_severity sev)
{
	return (unsigned)sev < 4 ? severity_names[sev] : "error";
}

int cw_diag_format(const cw_diag *d, cw_buf *out)
{
	if (!d || !out)
		return CW_EINVAL;
	int rc = CW_OK;
	if (d->file) {
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
		/* the session stores labels cut already; a host's own may be long */
		cw_buf label = CW_BUF_INIT;
		rc = cw_buf_putc(out, '[');
		if (rc == CW_OK)
			rc = cw__diag_clip(&label, d->record_id, CW_NUL);
		if (rc == CW_OK)
			rc = cw_buf_append_escaped(out, cw_buf_str(&label), label.len);
		if (rc == CW_OK)
			rc = cw_buf_append(out, "] ", 2);
		cw_buf_free(&label);
	}
	if (rc == CW_OK)
		rc = cw_buf_append_escaped(out, d->message ? d->message : "", CW_NUL);
	return rc;
}

/* A quote mark before a %s in a message's format: the text is quoted input. */
static int opens_quote(char c)
{
	return c && strchr("'\"<@\\&", c) != NULL;
}

/*
 * One conversion, its format rebuilt without '*'. The format is the
 * caller's own conversion spec, copied from a checked message format: clang
 * cannot see that through the copy.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static int put_spec(cw_buf *out, const char *spec, ...)
{
	va_list ap, ap2;
	va_start(ap, spec);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, spec, ap);
	int rc = n < 0 ? CW_EINVAL : cw_buf_reserve(out, (size_t)n + 1);
	if (rc == CW_OK) {
		vsnprintf(out->data + out->len, (size_t)n + 1, spec, ap2);
		out->len += (size_t)n;
	}
	va_end(ap2);
	va_end(ap);
	return rc;
}
#pragma GCC diagnostic pop

/* The type a conversion's argument has, from its length modifier. */
enum arg_size {
	SZ_INT, /* also char and short, which are promoted to int */
	SZ_CHAR,
	SZ_SHORT,
	SZ_LONG,
	SZ_LLONG,
	SZ_MAX,
	SZ_SIZE,
	SZ_PTRDIFF,
	SZ_LDBL
};

/* format_quoted's answer for a format it leaves to vsnprintf (no status). */
#define FORMAT_PLAIN 1

/* One printf conversion: %[flags][width][.precision][length]conv. */
typedef struct conv_spec {
	const char *flags;
	size_t nflags;
	int width, prec; /* -1: none (or '*', taken from the arguments) */
	int width_star, prec_star;
	int left; /* '-' among the flags, or a negative '*' width */
	const char *length;
	size_t nlength;
	enum arg_size size;
	char conv;
	const char *end; /* the format after the conversion */
} conv_spec;

/* A decimal number in a format, held below a bound no message needs. */
static int spec_number(const char **q)
{
	int v = 0;
	for (; **q >= '0' && **q <= '9'; ++*q)
		if (v < 100000)
			v = v * 10 + (**q - '0');
	return v;
}

/* Parses the conversion after a '%'; -1 for one format_quoted does not handle. */
static int parse_conv(const char *q, conv_spec *c)
{
	*c = (conv_spec){.width = -1, .prec = -1};
	const char *d = q + strspn(q, "0123456789");
	if (*d == '$')
		return -1; /* positional */
	c->flags = q;
	c->nflags = strspn(q, "-+ #0");
	q += c->nflags;
	if (*q == '*') {
		c->width_star = 1;
		q++;
	} else {
		c->width = *q >= '0' && *q <= '9' ? spec_number(&q) : -1;
	}
	if (*q == '.') {
		q++;
		if (*q == '*') {
			c->prec_star = 1;
			q++;
		} else {
			c->prec = spec_number(&q);
		}
	}
	c->length = q;
	switch (*q) {
	case 'h':
		c->size = q[1] == 'h' ? SZ_CHAR : SZ_SHORT;
		q += q[1] == 'h' ? 2 : 1;
		break;
	case 'l':
		c->size = q[1] == 'l' ? SZ_LLONG : SZ_LONG;
		q += q[1] == 'l' ? 2 : 1;
		break;
	case 'j':
		c->size = SZ_MAX, q++;
		break;
	case 'z':
		c->size = SZ_SIZE, q++;
		break;
	case 't':
		c->size = SZ_PTRDIFF, q++;
		break;
	case 'L':
		c->size = SZ_LDBL, q++;
		break;
	default:
		break;
	}
	c->nlength = (size_t)(q - c->length);
	c->conv = *q;
	if (!c->conv || !strchr("diouxXcspfFeEgGaA", c->conv))
		return -1;
	if (c->size == SZ_LDBL && !strchr("fFeEgGaA", c->conv))
		return -1;
	if (c->size != SZ_INT && c->size != SZ_LDBL && strchr("cspfFeEgGaA", c->conv))
		return -1; /* %ls, %lc, %lf: not in a message */
	c->end = q + 1;
	return 0;
}

/* Appends one conversion's argument, taken from ap, as printf would. */
static int put_conv(cw_buf *out, conv_spec *c, int quoted, va_list *ap)
{
	if (c->width_star) {
		int w = va_arg(*ap, int);
		c->left = w < 0;
		c->width = w < -100000 || w > 100000 ? 0 : w < 0 ? -w : w;
	}
	if (c->prec_star) {
		c->prec = va_arg(*ap, int);
		if (c->prec < 0)
			c->prec = -1;
	}
	int left = c->left || memchr(c->flags, '-', c->nflags) != NULL;
	if (c->conv == 's') {
		const char *str = va_arg(*ap, const char *);
		if (!str)
			str = "(null)";
		size_t len = c->prec >= 0 ? strnlen(str, (size_t)c->prec) : strlen(str);
		if (quoted && len > CW_DIAG_QUOTE_MAX)
			return cw__diag_clip(out, str, len); /* a width is moot for a cut text */
		if (len > INT32_MAX)
			len = INT32_MAX;
		return put_spec(out, left ? "%-*.*s" : "%*.*s", c->width > 0 ? c->width : 0, (int)len,
		                str);
	}
	/* the conversion again, its '*' made numbers */
	char spec[64];
	size_t n = 0;
	spec[n++] = '%';
	if (left)
		spec[n++] = '-';
	for (size_t i = 0; i < c->nflags && n < 12; i++)
		if (c->flags[i] != '-')
			spec[n++] = c->flags[i];
	if (c->width >= 0)
		n += (size_t)snprintf(spec + n, sizeof spec - n, "%d", c->width);
	if (c->prec >= 0)
		n += (size_t)snprintf(spec + n, sizeof spec - n, ".%d", c->prec);
	memcpy(spec + n, c->length, c->nlength);
	n += c->nlength;
	spec[n++] = c->conv;
	spec[n] = '\0';
	int sgn = c->conv == 'd' || c->conv == 'i';
	switch (c->conv) {
	case 'c':
		return put_spec(out, spec, va_arg(*ap, int));
	case 'p':
		return put_spec(out, spec, va_arg(*ap, void *));
	case 'd':
	case 'i':
	case 'o':
	case 'u':
	case 'x':
	case 'X':
		switch (c->size) {
		case SZ_LONG:
			return sgn ? put_spec(out, spec, va_arg(*ap, long))
			           : put_spec(out, spec, va_arg(*ap, unsigned long));
		case SZ_LLONG:
			return sgn ? put_spec(out, spec, va_arg(*ap, long long))
			           : put_spec(out, spec, va_arg(*ap, unsigned long long));
		case SZ_MAX:
			return sgn ? put_spec(out, spec, va_arg(*ap, intmax_t))
			           : put_spec(out, spec, va_arg(*ap, uintmax_t));
		case SZ_SIZE:
			return put_spec(out, spec, va_arg(*ap, size_t));
		case SZ_PTRDIFF:
			return put_spec(out, spec, va_arg(*ap, ptrdiff_t));
		default: /* int, and char and short, which are promoted to it */
			return sgn ? put_spec(out, spec, va_arg(*ap, int))
			           : put_spec(out, spec, va_arg(*ap, unsigned));
		}
	default: /* floating point */
		return c->size == SZ_LDBL ? put_spec(out, spec, va_arg(*ap, long double))
		                          : put_spec(out, spec, va_arg(*ap, double));
	}
}

/*
 * Formats a message like vsnprintf, but cuts text quoted from the input
 * (a %s or %.*s right after one of ' " < @ \\ &) with cw__diag_clip: a
 * message stays short whatever a plugin quotes. Returns -1, having taken
 * no argument from ap, for a format it does not handle (positional
 * arguments, %n, wide strings): FORMAT_PLAIN, and the caller formats it
 * plainly.
 */
static int format_quoted(cw_buf *out, const char *fmt, va_list *ap)
{
	conv_spec c;
	/* check first, so that ap is used only for a format handled whole */
	for (const char *p = strchr(fmt, '%'); p; p = strchr(p, '%')) {
		if (p[1] == '%') {
			p += 2;
			continue;
		}
		if (parse_conv(p + 1, &c))
			return FORMAT_PLAIN;
		p = c.end;
	}
	int rc = CW_OK;
	const char *p = fmt;
	while (rc == CW_OK && *p) {
		const char *pct = strchr(p, '%');
		if (!pct)
			return cw_buf_append(out, p, CW_NUL);
		rc = cw_buf_append(out, p, (size_t)(pct - p));
		if (rc == CW_OK && pct[1] == '%') {
			rc = cw_buf_putc(out, '%');
			p = pct + 2;
		} else if (rc == CW_OK) {
			parse_conv(pct + 1, &c);
			rc = put_conv(out, &c, pct > fmt && opens_quote(pct[-1]), ap);
			p = c.end;
		}
	}
	return rc;
}

/* cw__diag_emitv, and the limit the diagnostic is about (enum cw_limit, 0: none). */
static int emitv(cw_session *s, enum cw_severity sev, enum cw_diag_kind kind, int code,
                 uint32_t line, uint32_t column, enum cw_field field, const char *detail,
                 const cw__loss *loss, int limit, enum cw_diag_code as, const char *fmt, va_list ap)
    CW_PRINTF(12, 0);

int cw__diag_emitv(cw_session *s, enum cw_severity sev, enum cw_diag_kind kind, int code,
                   uint32_t line, uint32_t column, enum cw_field field, const char *detail,
                   const cw__loss *loss, const char *fmt, va_list ap)
{
	return emitv(s, sev, kind, code, line, column, field, detail, loss, 0, CW_DIAG_CODE_NONE, fmt,
	             ap);
}

int cw__diag_limitv(cw_session *s, enum cw_severity sev, int code, int limit, uint32_t line,
                    uint32_t column, const char *fmt, va_list ap)
{
	return emitv(s, sev, CW_DIAG_GENERAL, code, line, column, CW_FIELD_NONE, NULL, NULL, limit,
	             CW_DIAG_CODE_NONE, fmt, ap);
}

/* as: the machine code, or CW_DIAG_CODE_NONE to derive it */
static int emitv(cw_session *s, enum cw_severity sev, enum cw_diag_kind kind, int code,
                 uint32_t line, uint32_t column, enum cw_field field, const char *detail,
                 const cw__loss *loss, int limit, enum cw_diag_code as, const char *fmt, va_list ap)
{
	cw_buf msg = CW_BUF_INIT;
	va_list ap2;
	va_copy(ap2, ap);
	int rc = CW_OK;
	if (fmt) {
		rc = format_quoted(&msg, fmt, &ap2);
		if (rc == FORMAT_PLAIN) {
			cw_buf_clear(&msg);
			/* one byte more than is kept, so that the cut below sees it */
			char small[MESSAGE_MAX + 2];
			int n = vsnprintf(small, sizeof small, fmt, ap);
			cw_buf_append(&msg, small, n < 0 ? 0 : strlen(small));
		}
	}
	va_end(ap2);
	if (msg.len > MESSAGE_MAX) {
		size_t cut = MESSAGE_MAX;
		for (int i = 0; i < 3 && cut && ((unsigned char)msg.data[cut] & 0xC0) == 0x80; i++)
			cut--;
		msg.len = cut;
		cw_buf_append(&msg, "\xE2\x80\xA6", 3);
	}
	cw_buf cut_detail = CW_BUF_INIT;
	/* a passthrough field's name, which the input chose */
	if (detail && strnlen(detail, CW_DIAG_QUOTE_MAX + 1) > CW_DIAG_QUOTE_MAX &&
	    cw__diag_clip(&cut_detail, detail, CW_NUL) == CW_OK)
		detail = cut_detail.data;
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
	    .message = cw_buf_str(&msg),
	    .format = fmt,
	    .loss = loss ? loss->name : NULL,
	    .accepted = loss && loss->accepted,
	    .loss_kind = loss ? loss->kind : CW_LOSS_DROPPED,
	    .limit = limit,
	};
	d.diag_code = as ? as : derive_code(&d, d.accepted, cw__session_role(s));
	if (s)
		cw__context_emit(cw_session_context(s), &d);
	cw_buf_free(&msg);
	cw_buf_free(&cut_detail);
	return code;
}

int cw_diag_emit(cw_session *s, enum cw_severity sev, int code, uint32_t line, uint32_t column,
                 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = cw__diag_emitv(s, sev, CW_DIAG_GENERAL, code, line, column, CW_FIELD_NONE, NULL,
	                        NULL, fmt, ap);
	va_end(ap);
	return rc;
}

int cw__diag_inferred(cw_session *s, uint32_t line, uint32_t column, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = emitv(s, CW_SEV_NOTE, CW_DIAG_GENERAL, CW_OK, line, column, CW_FIELD_NONE, NULL,
	               NULL, 0, CW_DIAG_CODE_INFERRED, fmt, ap);
	va_end(ap);
	return rc;
}

int cw_diag_check_buf(cw_session *s, const cw_buf *b)
{
	int rc = cw_buf_error(b);
	if (rc)
		cw_diag_emit(s, CW_SEV_ERROR, rc, 0, 0, "out of memory while making the %s output",
		             cw_session_format(s));
	return rc;
}

static void not_carried(cw_session *s, const cw_record *rec, enum cw_field f, const char *detail,
                        const char *loss, enum cw_loss_kind kind, const char *fmt, ...)
    CW_PRINTF(7, 8);

/*
 * Reports a loss named loss (cw_diag.loss) of that kind: a warning, an
 * error under strict unless the context accepts the loss.
 */
static void not_carried(cw_session *s, const cw_record *rec, enum cw_field f, const char *detail,
                        const char *loss, enum cw_loss_kind kind, const char *fmt, ...)
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
	cw__loss l = {loss,
	              cw_context_loss_accepted(cw_session_context(s), cw_session_format(s), loss),
	              kind};
	int fail = cw_session_strict(s) && !l.accepted;
	va_list ap;
	va_start(ap, fmt);
	cw__diag_emitv(s, fail ? CW_SEV_ERROR : CW_SEV_WARNING, CW_DIAG_NOT_CARRIED,
	               fail ? CW_ESTRICT : CW_OK, 0, 0, f, detail, &l, fmt, ap);
	va_end(ap);
	if (label && (!prev || saved))
		cw_session_set_record(s, saved);
	free(saved);
}

/* cw_diag_loss with its arguments as a va_list. */
static void loss_v(cw_session *s, const cw_record *rec, enum cw_field f, enum cw_loss_kind kind,
                   const char *detail_fmt, va_list ap) CW_PRINTF(5, 0);

static void loss_v(cw_session *s, const cw_record *rec, enum cw_field f, enum cw_loss_kind kind,
                   const char *detail_fmt, va_list ap)
{
	cw_buf detail = CW_BUF_INIT;
	if (detail_fmt) {
		char small[512];
		vsnprintf(small, sizeof small, detail_fmt, ap);
		cw_buf_append(&detail, small, CW_NUL);
	}
	if (kind != CW_LOSS_DEGRADED)
		kind = CW_LOSS_DROPPED;
	const char *how = kind == CW_LOSS_DEGRADED ? "degraded" : "not carried";
	const char *name = cw_field_name(f);
	/* no field: a detail "jats:pub-date:epub (...)" names a passthrough
	 * field; any other says what became of the record's type */
	cw_buf pt = CW_BUF_INIT;
	if (!name && detail.len) {
		size_t n = strcspn(detail.data, " ");
		const char *colon = memchr(detail.data, ':', n);
		if (colon && colon > detail.data && (size_t)(colon - detail.data) + 1 < n)
			cw__diag_clip(&pt, detail.data, n);
	}
	const char *loss = name ? name : pt.len ? pt.data : "type";
	if (detail.len && !name)
		/* no one field: the detail says what ("type book (written as @misc)") */
		not_carried(s, rec, f, pt.len ? pt.data : NULL, loss, kind, "%s by %s: %s", how,
		            cw_session_format(s), detail.data);
	else if (detail.len)
		not_carried(s, rec, f, NULL, loss, kind, "%s by %s: %s (%s)", how,
		            cw_session_format(s), name, detail.data);
	else
		not_carried(s, rec, f, NULL, loss, kind, "%s by %s: %s", how, cw_session_format(s),
		            name ? name : "field");
	cw_buf_free(&pt);
	cw_buf_free(&detail);
}

void cw_diag_not_carried(cw_session *s, const cw_record *rec, enum cw_field f,
                         const char *detail_fmt, ...)
{
	va_list ap;
	va_start(ap, detail_fmt);
	loss_v(s, rec, f, CW_LOSS_DROPPED, detail_fmt, ap);
	va_end(ap);
}

void cw_diag_loss(cw_session *s, const cw_record *rec, enum cw_field f, enum cw_loss_kind kind,
                  const char *detail_fmt, ...)
{
	va_list ap;
	va_start(ap, detail_fmt);
	loss_v(s, rec, f, kind, detail_fmt, ap);
	va_end(ap);
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
		if (strcmp(p->format, CW_CITATION_MARK_FORMAT) == 0 &&
		    strcmp(p->name, CW_CITATION_MARK_NAME) == 0)
			continue; /* the parser's mark: its "inferred" note told of it */
		cw_buf detail = CW_BUF_INIT;
		cw_buf_printf(&detail, "%s:%s", p->format, p->name);
		cw_buf loss = CW_BUF_INIT;
		cw__diag_clip(&loss, cw_buf_str(&detail), detail.len);
		not_carried(s, rec, CW_FIELD_NONE, cw_buf_str(&detail), cw_buf_str(&loss),
		            CW_LOSS_DROPPED, "not carried by %s: %s field \"%s\"", cw_session_format(s), p->format,
		            p->name);
		cw_buf_free(&loss);
		cw_buf_free(&detail);
		count++;
	}
	return count;
}
