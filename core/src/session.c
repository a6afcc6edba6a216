/*
 * The host context and per-stage sessions: limits, options, diagnostics
 * routing, crosswalk tables.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "xwalk.h"

enum { CONTEXT_MAGIC = 0x43574358 };

typedef struct override {
	char *format;
	cw_xwalk *table;
	cw_table *typed; /* table checked against its schema (borrows table), or NULL */
} override;

/* An accepted loss: writer format (NULL: any) and loss name or pattern. */
typedef struct accepted_loss {
	char *format;
	char *loss;
} accepted_loss;

struct cw_context {
	uint32_t magic;
	cw_limits limits;
	cw_diag_fn *sink;
	void *sink_ud;
	int strict;
	cw_counts counts;
	char *last_error;
	override *overrides;
	size_t noverrides;
	accepted_loss *accepted;
	size_t naccepted;
	const cw_registry *registry; /* where the formats come from (borrowed), or NULL */
};

typedef struct opt {
	char *name;
	char *value;
} opt;

struct cw_session {
	cw_context *ctx;
	char *stage;
	char *file;
	const cw_option_spec *spec;
	opt *opts;
	size_t nopts;
	cw_buf record;  /* label of the record being processed, kept across records */
	int has_record; /* record holds a label (else: none) */
	uint32_t line;  /* a reader's: where the record being read starts (0 = unknown) */
	const char *xwalk_src; /* the embedded table the cache was built from */
	cw_xwalk *xwalk;
	/* cw_session_table: the stage's table, and what the session owns of it;
	 * slot 1 holds the core's own tables (the citations table), which a
	 * stage's parser asks for between asking for its own */
	struct session_table {
		const cw_table_schema *schema;
		const cw_table *table;
		cw_table *own[3]; /* embedded (without a registry), override, merged */
	} tables[2];
	void *citation;                 /* the parser's data made from the citations table */
	void (*citation_free)(void *);
	const cw_filter *next_filter; /* a reader's first filter (the pipeline sets it) */
	enum cw__stage_role role;
};

/* No cap on the whole input: readers stream, so what one input may cost is
 * bounded per record (record-bytes, field-bytes, depth...) and by the number
 * of records. A reader that holds a whole document (HTML meta, a foreign XML
 * root) bounds it by record-bytes. */
static const cw_limits default_limits = {
	.struct_size = sizeof(cw_limits),
	.max_input_bytes = 0,
	.max_field_bytes = 1u << 20,
	.max_depth = 256,
	.max_names = 10000,
	.max_records = 10000000,
	.max_children = 100000,
	.max_hops = 32,
	.max_record_bytes = 16u << 20,
	.max_fields = 4096,
	.max_attributes = 256,
	.max_macros = 8192,
};

/* The limits by name: enum cw_limit indexes this table. */
#define LIMITS(X)                                                   \
	X(CW_LIMIT_INPUT_BYTES, "input-bytes", max_input_bytes, 1)    \
	X(CW_LIMIT_FIELD_BYTES, "field-bytes", max_field_bytes, 1)    \
	X(CW_LIMIT_DEPTH, "depth", max_depth, 0)                      \
	X(CW_LIMIT_NAMES, "names", max_names, 0)                      \
	X(CW_LIMIT_RECORDS, "records", max_records, 0)                \
	X(CW_LIMIT_CHILDREN, "children", max_children, 0)             \
	X(CW_LIMIT_HOPS, "hops", max_hops, 0)                         \
	X(CW_LIMIT_RECORD_BYTES, "record-bytes", max_record_bytes, 1) \
	X(CW_LIMIT_FIELDS, "fields", max_fields, 0)                   \
	X(CW_LIMIT_ATTRIBUTES, "attributes", max_attributes, 0)       \
	X(CW_LIMIT_MACROS, "macros", max_macros, 0)

static const struct limit_desc {
	const char *key;
	size_t offset, size;
	int bytes; /* a size in bytes (printed in KiB, MiB...) rather than a count */
} limit_descs[] = {
#define X(id, key, member, bytes)                                                        \
	[id] = {key, offsetof(cw_limits, member), sizeof((cw_limits *)0)->member, bytes},
    LIMITS(X)
#undef X
};

static const struct limit_desc *limit_desc(enum cw_limit which)
{
	size_t i = (size_t)which;
	if (i == 0 || i >= sizeof limit_descs / sizeof limit_descs[0])
		return NULL;
	return &limit_descs[i];
}

static char *dup_str(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *p = malloc(n + 1);
	if (p)
		memcpy(p, s, n + 1);
	return p;
}

int cw_context_new(cw_context **out)
{
	if (!out)
		return CW_EINVAL;
	cw_context *ctx = calloc(1, sizeof *ctx);
	*out = ctx;
	if (!ctx)
		return CW_ENOMEM;
	ctx->magic = CONTEXT_MAGIC;
	ctx->limits = default_limits;
	ctx->counts.struct_size = sizeof ctx->counts;
	return CW_OK;
}

void cw_context_free(cw_context *ctx)
{
	if (!ctx || ctx->magic != CONTEXT_MAGIC)
		return;
	for (size_t i = 0; i < ctx->noverrides; i++) {
		free(ctx->overrides[i].format);
		cw_table_free(ctx->overrides[i].typed);
		cw_xwalk_free(ctx->overrides[i].table);
	}
	free(ctx->overrides);
	for (size_t i = 0; i < ctx->naccepted; i++) {
		free(ctx->accepted[i].format);
		free(ctx->accepted[i].loss);
	}
	free(ctx->accepted);
	free(ctx->last_error);
	ctx->magic = 0;
	free(ctx);
}

void cw_context_set_diag_sink(cw_context *ctx, cw_diag_fn *fn, void *ud)
{
	if (!ctx || ctx->magic != CONTEXT_MAGIC)
		return;
	ctx->sink = fn;
	ctx->sink_ud = ud;
}

int cw_context_set_limits(cw_context *ctx, const cw_limits *l)
{
	if (!ctx || ctx->magic != CONTEXT_MAGIC || !l || l->struct_size < sizeof(uint32_t))
		return CW_EINVAL;
	cw_limits n = default_limits;
	/* copy only the members the caller's struct has, keep defaults for zeros */
#define TAKE(id, key, m, bytes)                                                   \
	if (l->struct_size >= offsetof(cw_limits, m) + sizeof l->m && l->m)        \
		n.m = l->m;
	LIMITS(TAKE)
#undef TAKE
	if (n.max_depth > CW_LIMIT_DEPTH_MAX)
		return CW_EINVAL;
	ctx->limits = n;
	return CW_OK;
}

const cw_limits *cw_context_limits(const cw_context *ctx)
{
	return ctx && ctx->magic == CONTEXT_MAGIC ? &ctx->limits : &default_limits;
}

const char *cw_limit_key(enum cw_limit which)
{
	const struct limit_desc *d = limit_desc(which);
	return d ? d->key : NULL;
}

uint64_t cw_limit_value(const cw_limits *lim, enum cw_limit which)
{
	const struct limit_desc *d = limit_desc(which);
	if (!lim || !d || lim->struct_size < d->offset + d->size)
		return 0;
	const char *p = (const char *)lim + d->offset;
	if (d->size == sizeof(uint64_t)) {
		uint64_t v;
		memcpy(&v, p, sizeof v);
		return v;
	}
	uint32_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

enum cw_limit cw_limit_from_key(const char *key, size_t len)
{
	if (!key)
		return (enum cw_limit)0;
	if (len == CW_NUL)
		len = strlen(key);
	for (size_t i = 1; i < sizeof limit_descs / sizeof limit_descs[0]; i++)
		if (strlen(limit_descs[i].key) == len && memcmp(limit_descs[i].key, key, len) == 0)
			return (enum cw_limit)i;
	return (enum cw_limit)0;
}

int cw_limit_is_bytes(enum cw_limit which)
{
	const struct limit_desc *d = limit_desc(which);
	return d ? d->bytes : 0;
}

int cw_limit_set(cw_limits *lim, enum cw_limit which, uint64_t value)
{
	const struct limit_desc *d = limit_desc(which);
	if (!lim || !d || lim->struct_size < d->offset + d->size || value == 0 ||
	    (d->size == sizeof(uint32_t) && value > UINT32_MAX) ||
	    (which == CW_LIMIT_DEPTH && value > CW_LIMIT_DEPTH_MAX))
		return CW_EINVAL;
	char *p = (char *)lim + d->offset;
	if (d->size == sizeof(uint64_t))
		memcpy(p, &value, sizeof value);
	else
		memcpy(p, &(uint32_t){(uint32_t)value}, sizeof(uint32_t));
	return CW_OK;
}

/* A limit's value the way --limit takes it: "16 MiB", "64 KiB", "10000". */
static void limit_text(cw_buf *b, const struct limit_desc *d, uint64_t v)
{
	static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
	int u = -1;
	while (d->bytes && v >= 1024 && v % 1024 == 0 && u < 3)
		v /= 1024, u++;
	if (u >= 0)
		cw_buf_printf(b, "%llu %s", (unsigned long long)v, units[u]);
	else
		cw_buf_printf(b, d->bytes ? "%llu bytes" : "%llu", (unsigned long long)v);
}

int cw_session_limit_error(cw_session *s, int status, enum cw_limit which, uint32_t line,
                           uint32_t column, const char *fmt, ...)
{
	const struct limit_desc *d = limit_desc(which);
	char what[256]; /* says what was too big: short; longer is cut */
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(what, sizeof what, fmt ? fmt : "input over", ap);
	va_end(ap);
	cw_buf msg = CW_BUF_INIT;
	if (n >= 0 && cw_buf_append(&msg, what, CW_NUL) == CW_OK && d) {
		cw_buf_printf(&msg, " the %s limit (", d->key);
		limit_text(&msg, d, cw_limit_value(cw_session_limits(s), which));
		cw_buf_putc(&msg, ')');
	}
	cw_session_limit_diag(s, CW_SEV_ERROR, CW_ELIMIT, which, line, column, "%s",
	                      msg.len ? cw_buf_str(&msg) : "a safety limit was hit");
	cw_buf_free(&msg);
	return status;
}

int cw_session_limit_diag(cw_session *s, enum cw_severity sev, int code, enum cw_limit which,
                          uint32_t line, uint32_t column, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cw__diag_limitv(s, sev, code, limit_desc(which) ? (int)which : 0, line, column, fmt, ap);
	va_end(ap);
	return code;
}

void cw_context_set_strict(cw_context *ctx, int strict)
{
	if (ctx && ctx->magic == CONTEXT_MAGIC)
		ctx->strict = strict != 0;
}

int cw_context_strict(const cw_context *ctx)
{
	return ctx && ctx->magic == CONTEXT_MAGIC && ctx->strict;
}

void cw_context_counts(const cw_context *ctx, cw_counts *out)
{
	if (!out)
		return;
	uint32_t size = out->struct_size;
	cw_counts c = {.struct_size = sizeof c};
	if (ctx && ctx->magic == CONTEXT_MAGIC)
		c = ctx->counts;
	if (size >= sizeof c || size == 0)
		*out = c;
	else
		memcpy(out, &c, size);
	out->struct_size = size ? size : sizeof c;
}

const char *cw_context_last_error(const cw_context *ctx)
{
	return ctx && ctx->magic == CONTEXT_MAGIC ? ctx->last_error : NULL;
}

void cw__context_emit(cw_context *ctx, const cw_diag *d)
{
	if (!ctx || ctx->magic != CONTEXT_MAGIC)
		return;
	if (d->kind == CW_DIAG_NOT_CARRIED) {
		if (d->struct_size >= offsetof(cw_diag, accepted) + sizeof d->accepted &&
		    d->accepted)
			ctx->counts.accepted_losses++;
		else
			ctx->counts.not_carried++;
	}
	switch (d->severity) {
	case CW_SEV_NOTE:
		ctx->counts.notes++;
		break;
	case CW_SEV_WARNING:
		ctx->counts.warnings++;
		break;
	default:
		ctx->counts.errors++;
		free(ctx->last_error);
		ctx->last_error = dup_str(d->message);
		break;
	}
	if (ctx->sink)
		ctx->sink(ctx->sink_ud, d);
}

void cw_context_set_registry(cw_context *ctx, const cw_registry *reg)
{
	if (ctx && ctx->magic == CONTEXT_MAGIC)
		ctx->registry = reg;
}

/* Reports a problem of a table to the context's sink: "file:line:col: msg". */
static void table_error(void *ud, const char *file, uint32_t line, uint32_t column, const char *msg)
{
	cw_context *ctx = ud;
	cw_buf b = CW_BUF_INIT;
	if (file && line)
		cw_buf_printf(&b, "%s:%u:%u: %s", file, line, column, msg);
	else if (file)
		cw_buf_printf(&b, "%s: %s", file, msg);
	else
		cw_buf_append(&b, msg, CW_NUL);
	cw_diag d = {.struct_size = sizeof d,
	             .severity = CW_SEV_ERROR,
	             .code = CW_EFORMAT,
	             .message = b.len ? b.data : msg};
	cw__context_emit(ctx, &d);
	cw_buf_free(&b);
}

/* Checks an override against the schema of the table it names, when the registry knows it. */
static int check_override(cw_context *ctx, const cw_xwalk *t, const char *name, cw_table **typed)
{
	*typed = NULL;
	if (!ctx->registry)
		return CW_OK; /* checked when a stage asks for its table */
	const cw__cell *fmt = cw__xwalk_meta_cell(t, "format");
	cw_buf names = CW_BUF_INIT;
	int known = 0;
	const cw_table_schema *schema =
	    cw__registry_schema(ctx->registry, fmt->val, &known, &names);
	int rc = CW_OK;
	if (!known) {
		cw_buf msg = CW_BUF_INIT;
		size_t len = 0;
		const char *near = cw__nearest_word(cw_buf_str(&names), fmt->val, &len);
		cw_buf_printf(&msg,
		              "unknown format \"%s\" (no loaded plugin has a table of that name)",
		              fmt->val);
		if (near)
			cw_buf_printf(&msg, "; did you mean \"%.*s\"?", (int)len, near);
		cw_buf_append(&msg, " (known: ", CW_NUL);
		for (const char *p = cw_buf_str(&names); *p; p++)
			cw_buf_append(&msg, *p == '|' ? ", " : p, *p == '|' ? 2 : 1);
		cw_buf_putc(&msg, ')');
		table_error(ctx, name ? name : "<crosswalk>", fmt->val_at.line, fmt->val_at.column,
		            cw_buf_str(&msg));
		cw_buf_free(&msg);
		rc = CW_EFORMAT;
	} else if (schema) {
		cw__table_errs errs = {.fn = table_error, .ud = ctx};
		rc = cw__table_build(typed, schema, t, &errs);
	}
	cw_buf_free(&names);
	return rc;
}

int cw_context_add_crosswalk(cw_context *ctx, const char *yaml, size_t len, const char *name)
{
	if (!ctx || ctx->magic != CONTEXT_MAGIC || !yaml)
		return CW_EINVAL;
	cw_buf err = CW_BUF_INIT;
	cw_xwalk *t = NULL;
	cw_table *typed = NULL;
	int rc = cw_xwalk_parse(&t, yaml, len, name, &err);
	if (rc == CW_OK && !cw_xwalk_meta(t, "format")) {
		cw_buf_printf(&err, "%s: crosswalk table has no \"format\" key naming the plugin it overrides",
		              name ? name : "<crosswalk>");
		rc = CW_EFORMAT;
	}
	if (rc != CW_OK) {
		cw_diag d = {.struct_size = sizeof d,
		             .severity = CW_SEV_ERROR,
		             .code = rc,
		             .file = NULL,
		             .message = err.len ? err.data : cw_status_str(rc)};
		cw__context_emit(ctx, &d);
	} else if ((rc = check_override(ctx, t, name, &typed)) == CW_OK) {
		override *o = realloc(ctx->overrides, (ctx->noverrides + 1) * sizeof *o);
		if (!o) {
			rc = CW_ENOMEM;
		} else {
			ctx->overrides = o;
			o += ctx->noverrides;
			o->format = dup_str(cw_xwalk_meta(t, "format"));
			o->table = t;
			o->typed = typed;
			if (!o->format)
				rc = CW_ENOMEM;
			else
				ctx->noverrides++, t = NULL, typed = NULL;
		}
		if (rc == CW_ENOMEM)
			table_error(ctx, NULL, 0, 0, cw_status_str(rc));
	}
	cw_table_free(typed);
	cw_xwalk_free(t);
	cw_buf_free(&err);
	return rc;
}

/* "FORMAT:NAME" or "FORMAT:*": a passthrough field's name, as the core makes it */
static int passthrough_name(const char *s)
{
	const char *colon = strchr(s, ':');
	return colon && colon > s && colon[1] && !strchr(s, ' ');
}

int cw_context_accept_loss(cw_context *ctx, const char *format, const char *loss)
{
	if (!ctx || ctx->magic != CONTEXT_MAGIC || !loss)
		return CW_EINVAL;
	if (format && (!*format || strcmp(format, "*") == 0))
		format = NULL;
	if (strcmp(loss, "*") != 0 && strcmp(loss, "type") != 0 && !passthrough_name(loss) &&
	    !cw_field_from_name(loss, CW_NUL))
		return CW_ENOTFOUND;
	for (size_t i = 0; i < ctx->naccepted; i++) {
		const accepted_loss *a = &ctx->accepted[i];
		if (strcmp(a->loss, loss) == 0 &&
		    (a->format && format ? strcmp(a->format, format) == 0 : a->format == format))
			return CW_OK; /* the list stays as long as the distinct entries */
	}
	accepted_loss *a = realloc(ctx->accepted, (ctx->naccepted + 1) * sizeof *a);
	if (!a)
		return CW_ENOMEM;
	ctx->accepted = a;
	a[ctx->naccepted].format = format ? dup_str(format) : NULL;
	a[ctx->naccepted].loss = dup_str(loss);
	if ((format && !a[ctx->naccepted].format) || !a[ctx->naccepted].loss) {
		free(a[ctx->naccepted].format);
		free(a[ctx->naccepted].loss);
		return CW_ENOMEM;
	}
	ctx->naccepted++;
	return CW_OK;
}

/* Whether pattern ("*", "jats:*", "affiliations") covers loss. */
static int loss_matches(const char *pattern, const char *loss)
{
	if (strcmp(pattern, "*") == 0 || strcmp(pattern, loss) == 0)
		return 1;
	size_t n = strlen(pattern);
	return n >= 2 && pattern[n - 1] == '*' && pattern[n - 2] == ':' &&
	       strncmp(pattern, loss, n - 1) == 0;
}

int cw_context_loss_accepted(const cw_context *ctx, const char *format, const char *loss)
{
	if (!ctx || ctx->magic != CONTEXT_MAGIC || !loss)
		return 0;
	for (size_t i = 0; i < ctx->naccepted; i++) {
		const accepted_loss *a = &ctx->accepted[i];
		if (a->format && (!format || strcmp(a->format, format) != 0))
			continue;
		if (loss_matches(a->loss, loss))
			return 1;
	}
	return 0;
}

static const override *find_override(const cw_context *ctx, const char *format)
{
	if (!ctx || ctx->magic != CONTEXT_MAGIC || !format)
		return NULL;
	/* the last --crosswalk for a format wins */
	for (size_t i = ctx->noverrides; i-- > 0;)
		if (strcmp(ctx->overrides[i].format, format) == 0)
			return &ctx->overrides[i];
	return NULL;
}

const cw_xwalk *cw__context_override(const cw_context *ctx, const char *format)
{
	const override *o = find_override(ctx, format);
	return o ? o->table : NULL;
}

/* --- sessions --- */

static const cw_option_spec *find_spec(const cw_option_spec *spec, const char *name)
{
	for (; spec && spec->name; spec++)
		if (strcmp(spec->name, name) == 0)
			return spec;
	return NULL;
}

static int parse_bool(const char *v, int *out)
{
	static const char *const yes[] = {"true", "yes", "1", "on"};
	static const char *const no[] = {"false", "no", "0", "off"};
	if (!v) {
		*out = 1;
		return 1;
	}
	for (size_t i = 0; i < 4; i++) {
		if (cw__ascii_casecmp(v, yes[i]) == 0) {
			*out = 1;
			return 1;
		}
		if (cw__ascii_casecmp(v, no[i]) == 0) {
			*out = 0;
			return 1;
		}
	}
	return 0;
}

static int choice_ok(const char *choices, const char *v)
{
	size_t n = strlen(v);
	const char *p = choices;
	while (p && *p) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && strncmp(p, v, n) == 0)
			return 1;
		p = bar ? bar + 1 : NULL;
	}
	return 0;
}

static int check_option(cw_session *s, const cw_option_spec *sp, const cw_option *o)
{
	int b;
	switch (sp->type) {
	case CW_OPT_BOOL:
		if (!parse_bool(o->value, &b))
			return cw_diag_emit(s, CW_SEV_ERROR, CW_EINVAL, 0, 0,
			                    "option %s of %s takes true or false, not \"%s\"", o->name,
			                    s->stage, o->value);
		return CW_OK;
	case CW_OPT_INT: {
		if (!o->value)
			break;
		char *end;
		errno = 0;
		(void)strtol(o->value, &end, 10);
		if (errno || end == o->value || *end)
			return cw_diag_emit(s, CW_SEV_ERROR, CW_EINVAL, 0, 0,
			                    "option %s of %s takes a number, not \"%s\"", o->name,
			                    s->stage, o->value);
		return CW_OK;
	}
	case CW_OPT_ENUM:
		if (!o->value || !choice_ok(sp->choices, o->value))
			return cw_diag_emit(s, CW_SEV_ERROR, CW_EINVAL, 0, 0,
			                    "option %s of %s takes one of %s, not \"%s\"", o->name,
			                    s->stage, sp->choices ? sp->choices : "(none)",
			                    o->value ? o->value : "");
		return CW_OK;
	case CW_OPT_STRING:
		break;
	}
	if (!o->value)
		return cw_diag_emit(s, CW_SEV_ERROR, CW_EINVAL, 0, 0, "option %s of %s needs a value",
		                    o->name, s->stage);
	return CW_OK;
}

int cw__session_new(cw_session **out, cw_context *ctx, const char *stage, const char *file,
                    const cw_option_spec *spec, const cw_option *opts, size_t nopts)
{
	*out = NULL;
	cw_session *s = calloc(1, sizeof *s);
	if (!s)
		return CW_ENOMEM;
	s->ctx = ctx;
	s->spec = spec;
	s->stage = dup_str(stage ? stage : "");
	s->file = dup_str(file);
	if (!s->stage || (file && !s->file)) {
		cw__session_free(s);
		return CW_ENOMEM;
	}
	*out = s;
	if (nopts) {
		s->opts = calloc(nopts, sizeof *s->opts);
		if (!s->opts)
			return CW_ENOMEM;
	}
	int rc = CW_OK;
	for (size_t i = 0; i < nopts; i++) {
		const cw_option_spec *sp = find_spec(spec, opts[i].name ? opts[i].name : "");
		if (!sp) {
			rc = cw_diag_emit(s, CW_SEV_ERROR, CW_EINVAL, 0, 0, "%s has no option \"%s\"",
			                  s->stage, opts[i].name ? opts[i].name : "");
			continue;
		}
		int r = check_option(s, sp, &opts[i]);
		if (r) {
			rc = r;
			continue;
		}
		s->opts[s->nopts].name = dup_str(opts[i].name);
		s->opts[s->nopts].value = dup_str(opts[i].value ? opts[i].value : "true");
		if (!s->opts[s->nopts].name || !s->opts[s->nopts].value)
			return CW_ENOMEM;
		s->nopts++;
	}
	return rc;
}

void cw__session_free(cw_session *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nopts; i++) {
		free(s->opts[i].name);
		free(s->opts[i].value);
	}
	free(s->opts);
	free(s->stage);
	free(s->file);
	cw_buf_free(&s->record);
	cw_xwalk_free(s->xwalk);
	for (size_t t = 0; t < 2; t++)
		for (size_t i = 3; i-- > 0;)
			cw_table_free(s->tables[t].own[i]); /* the merged table first: it borrows */
	if (s->citation_free)
		s->citation_free(s->citation);
	free(s);
}

const cw_limits *cw_session_limits(const cw_session *s)
{
	return cw_context_limits(s ? s->ctx : NULL);
}

const char *cw_session_option(const cw_session *s, const char *name)
{
	if (!s || !name)
		return NULL;
	for (size_t i = s->nopts; i-- > 0;)
		if (strcmp(s->opts[i].name, name) == 0)
			return s->opts[i].value;
	const cw_option_spec *sp = find_spec(s->spec, name);
	return sp ? sp->default_value : NULL;
}

int cw_session_option_bool(const cw_session *s, const char *name, int dflt)
{
	const char *v = cw_session_option(s, name);
	int b;
	if (!v || !parse_bool(v, &b))
		return dflt;
	return b;
}

int cw_session_strict(const cw_session *s)
{
	return s && cw_context_strict(s->ctx);
}

const char *cw_session_file(const cw_session *s)
{
	return s ? s->file : NULL;
}

const char *cw_session_format(const cw_session *s)
{
	return s ? s->stage : NULL;
}

void cw_session_set_record(cw_session *s, const char *record_id)
{
	if (!s)
		return;
	if (s->has_record ? record_id == s->record.data : !record_id)
		return; /* the same label, or still none */
	/* the buffer is reused: labelling each record allocates nothing; a
	 * label is kept cut (an entry key that never ends is no label) */
	cw_buf_clear(&s->record);
	s->has_record = record_id && cw__diag_clip(&s->record, record_id, CW_NUL) == CW_OK;
}

void cw_session_set_line(cw_session *s, uint32_t line)
{
	if (s)
		s->line = line;
}

uint32_t cw__session_line(const cw_session *s)
{
	return s ? s->line : 0;
}

const char *cw__session_record(const cw_session *s)
{
	return s && s->has_record ? cw_buf_str(&s->record) : NULL;
}

cw_context *cw_session_context(const cw_session *s)
{
	return s ? s->ctx : NULL;
}

const cw_filter *cw_session_next_filter(const cw_session *s)
{
	return s ? s->next_filter : NULL;
}

void cw__session_set_next_filter(cw_session *s, const cw_filter *f)
{
	if (s)
		s->next_filter = f;
}

void cw__session_set_role(cw_session *s, enum cw__stage_role role)
{
	if (s)
		s->role = role;
}

enum cw__stage_role cw__session_role(const cw_session *s)
{
	return s ? s->role : CW__STAGE_OTHER;
}

int cw_session_crosswalk(cw_session *s, const char *yaml, size_t len, const cw_xwalk **out)
{
	if (!s || !yaml || !out)
		return CW_EINVAL;
	*out = NULL;
	if (s->xwalk && s->xwalk_src == yaml) {
		*out = s->xwalk;
		return CW_OK;
	}
	cw_buf err = CW_BUF_INIT;
	cw_xwalk *base = NULL;
	int rc = cw_xwalk_parse(&base, yaml, len, s->stage, &err);
	if (rc) {
		/* an embedded table that does not parse is a bug in the plugin */
		cw_diag_emit(s, CW_SEV_ERROR, rc, 0, 0, "embedded crosswalk table: %s", cw_buf_str(&err));
		cw_buf_free(&err);
		return rc;
	}
	cw_buf_free(&err);
	const char *fmt = cw_xwalk_meta(base, "format");
	const cw_xwalk *over = cw__context_override(s->ctx, fmt ? fmt : s->stage);
	if (over) {
		cw_xwalk *merged = NULL;
		rc = cw__xwalk_merge(&merged, over, base);
		cw_xwalk_free(base);
		if (rc)
			return rc;
		base = merged;
	}
	cw_xwalk_free(s->xwalk);
	s->xwalk = base;
	s->xwalk_src = yaml;
	*out = base;
	return CW_OK;
}

/* Reports a problem of the session's table to the context (its place is in the message). */
static void session_table_error(void *ud, const char *file, uint32_t line, uint32_t column,
                                const char *msg)
{
	cw_session *s = ud;
	table_error(s->ctx, file, line, column, msg);
}

int cw_session_table(cw_session *s, const cw_table_schema *schema, const cw_table **out)
{
	if (!out)
		return CW_EINVAL;
	*out = NULL;
	if (!s || !schema)
		return CW_EINVAL;
	struct session_table *slot = &s->tables[cw__table_schema_is_core(schema) ? 1 : 0];
	if (slot->table && slot->schema == schema) {
		*out = slot->table;
		return CW_OK;
	}
	cw_buf why = CW_BUF_INIT;
	if (cw_table_schema_check(schema, &why) != CW_OK) {
		int rc = cw_diag_emit(s, CW_SEV_ERROR, CW_EINVAL, 0, 0, "%s", cw_buf_str(&why));
		cw_buf_free(&why);
		return rc;
	}
	for (size_t i = 3; i-- > 0;) {
		cw_table_free(slot->own[i]);
		slot->own[i] = NULL;
	}
	slot->table = NULL;
	cw__table_errs errs = {.fn = session_table_error, .ud = s};
	const cw_table *base = NULL;
	int rc = cw__registry_table(s->ctx ? s->ctx->registry : NULL, schema, &base, &errs);
	if (rc == CW_ENOTFOUND) {
		rc = cw__table_embedded(&slot->own[0], schema, &errs); /* no registry keeps it */
		base = slot->own[0];
	}
	if (rc)
		return cw_diag_emit(s, CW_SEV_ERROR, rc, 0, 0,
		                    "the embedded crosswalk table of %s does not fit its schema",
		                    schema->name);
	const override *o = find_override(s->ctx, schema->name);
	const cw_table *over = NULL;
	if (o && o->typed && cw__table_schema(o->typed) == schema) {
		over = o->typed;
	} else if (o) {
		rc = cw__table_build(&slot->own[1], schema, o->table, &errs);
		if (rc)
			return rc;
		over = slot->own[1];
	}
	if (over) {
		rc = cw__table_merge(&slot->own[2], over, base);
		if (rc)
			return cw_diag_emit(s, CW_SEV_ERROR, rc, 0, 0, "out of memory");
		base = slot->own[2];
	}
	slot->schema = schema;
	slot->table = base;
	*out = base;
	return CW_OK;
}

void *cw__session_citation(const cw_session *s)
{
	return s ? s->citation : NULL;
}

void cw__session_set_citation(cw_session *s, void *data, void (*free_fn)(void *))
{
	if (!s)
		return;
	if (s->citation_free)
		s->citation_free(s->citation);
	s->citation = data;
	s->citation_free = free_fn;
}
