/*
 * The printed forms of a diagnostic (text, JSON Lines, GitHub Actions
 * workflow commands), the run's summary of losses, and the --report file.
 * The report's shape is docs/report.schema.json.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *const kind_names[] = {"general", "not-carried"};

/* A JSON string of s with control bytes and broken UTF-8 escaped as text first. */
static void append_json_escaped(cw_buf *r, const char *s)
{
	if (!s) {
		cw_buf_append(r, "null", 4);
		return;
	}
	cw_buf t = CW_BUF_INIT;
	cw_buf_append_escaped(&t, s, CW_NUL);
	cw_buf_append_json(r, t.len ? cw_buf_str(&t) : "", t.len);
	cw_buf_free(&t);
}

/* The members of cw_diag after `format` exist in d (ABI 1.2). */
static int has_loss(const cw_diag *d)
{
	return d->struct_size >= offsetof(cw_diag, loss) + sizeof d->loss;
}

/*
 * The field a diagnostic is about: for a loss its name as --allow-loss
 * takes it (a field, "FORMAT:NAME", "type"), else the field's name or a
 * passthrough detail; NULL when none.
 */
static const char *field_of(const cw_diag *d)
{
	if (d->kind == CW_DIAG_NOT_CARRIED && has_loss(d) && d->loss)
		return d->loss;
	if (d->field)
		return cw_field_name(d->field);
	return d->detail;
}

void cli_diag_json(cw_buf *r, const cw_diag *d)
{
	enum cw_diag_code code = cw_diag_code_of(d);
	cw_buf_printf(r, "{\"severity\": \"%s\", \"kind\": \"%s\", \"code\": \"%s\", \"file\": ",
	              cw_severity_name(d->severity), kind_names[d->kind == CW_DIAG_NOT_CARRIED],
	              code                         ? cw_diag_code_name(code)
	              : d->severity == CW_SEV_NOTE ? "note"
	                                           : "warning");
	append_json_escaped(r, d->file);
	cw_buf_printf(r,
	              ", \"line\": %lu, \"column\": %lu, \"record\": ", (unsigned long)d->at.line,
	              (unsigned long)d->at.column);
	append_json_escaped(r, d->record_id);
	cw_buf_append(r, ", \"plugin\": ", CW_NUL);
	append_json_escaped(r, d->plugin);
	cw_buf_append(r, ", \"field\": ", CW_NUL);
	append_json_escaped(r, field_of(d));
	/* a loss: dropped, or written in a lesser form */
	cw_buf_append(r, ", \"loss\": ", CW_NUL);
	append_json_escaped(r, d->kind == CW_DIAG_NOT_CARRIED
	                           ? cw_loss_kind_name(cw_diag_loss_kind(d))
	                           : NULL);
	cw_buf_append(r, ", \"message\": ", CW_NUL);
	append_json_escaped(r, d->message ? d->message : "");
	const char *limit = cli_diag_limit(d);
	if (limit)
		cw_buf_printf(r, ", \"limit\": \"%s\"", limit);
	cw_buf_putc(r, '}');
}

/*
 * GitHub's escaping of a workflow command: the message escapes %, CR and
 * LF; a property's value also ':' and ',', which separate properties.
 */
static void append_github(cw_buf *r, const char *s, int property)
{
	cw_buf t = CW_BUF_INIT;
	cw_buf_append_escaped(&t, s, CW_NUL); /* control bytes and broken UTF-8 as \xHH */
	for (const char *p = cw_buf_str(&t); *p; p++) {
		switch (*p) {
		case '%':
			cw_buf_append(r, "%25", 3);
			break;
		case '\r':
			cw_buf_append(r, "%0D", 3);
			break;
		case '\n':
			cw_buf_append(r, "%0A", 3);
			break;
		case ':':
			cw_buf_append(r, property ? "%3A" : ":", CW_NUL);
			break;
		case ',':
			cw_buf_append(r, property ? "%2C" : ",", CW_NUL);
			break;
		default:
			cw_buf_putc(r, *p);
		}
	}
	cw_buf_free(&t);
}

static void github_command(cw_buf *r, const cw_diag *d)
{
	enum cw_diag_code code = cw_diag_code_of(d);
	cw_buf_append(r,
	              d->severity >= CW_SEV_ERROR     ? "::error "
	              : d->severity == CW_SEV_WARNING ? "::warning "
	                                              : "::notice ",
	              CW_NUL);
	if (d->file) {
		cw_buf_append(r, "file=", CW_NUL);
		append_github(r, d->file, 1);
		if (d->at.line)
			cw_buf_printf(r, ",line=%lu", (unsigned long)d->at.line);
		if (d->at.line && d->at.column)
			cw_buf_printf(r, ",col=%lu", (unsigned long)d->at.column);
		cw_buf_putc(r, ',');
	}
	cw_buf_append(r, "title=crosswalk ", CW_NUL);
	append_github(r, code ? cw_diag_code_name(code) : cw_severity_name(d->severity), 1);
	cw_buf_append(r, "::", 2);
	cw_buf m = CW_BUF_INIT;
	if (d->record_id)
		cw_buf_printf(&m, "[%s] ", d->record_id);
	cw_buf_append(&m, d->message ? d->message : "", CW_NUL);
	cli_diag_hint(&m, d);
	append_github(r, cw_buf_str(&m), 0);
	cw_buf_free(&m);
}

void cli_diag_print(cli_diags *st, const cw_diag *d, size_t count)
{
	cw_buf *r = &st->line;
	cw_buf_clear(r);
	switch (st->format) {
	case CLI_DIAGS_JSON:
		cli_diag_json(r, d);
		if (count) {
			r->len--; /* the closing brace */
			cw_buf_printf(r, ", \"count\": %zu}", count);
		}
		break;
	case CLI_DIAGS_GITHUB:
		github_command(r, d);
		break;
	default:
		cli_diag_text(r, d);
		break;
	}
	fprintf(stderr, "%s\n", cw_buf_str(r));
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int cli_loss_counted(cli_diags *st, const cw_diag *d)
{
	const char *loss = field_of(d);
	if (!loss || !d->plugin)
		return 0;
	int accepted = cw_diag_code_of(d) == CW_DIAG_CODE_ACCEPTED_LOSS;
	enum cw_loss_kind kind = cw_diag_loss_kind(d);
	cli_loss_group *g = NULL;
	for (size_t i = 0; i < st->nlosses && !g; i++)
		if (st->losses[i].accepted == accepted && st->losses[i].kind == kind &&
		    strcmp(st->losses[i].loss, loss) == 0 &&
		    strcmp(st->losses[i].plugin, d->plugin) == 0)
			g = &st->losses[i];
	if (!g) {
		/* passthrough names come from the input: past the table's room, print */
		if (st->nlosses == CLI_LOSS_GROUPS)
			return 0;
		if (!st->losses && !(st->losses = calloc(CLI_LOSS_GROUPS, sizeof *st->losses)))
			return 0;
		g = &st->losses[st->nlosses];
		*g = (cli_loss_group){.plugin = strdup(d->plugin),
		                      .loss = strdup(loss),
		                      .accepted = accepted,
		                      .kind = kind};
		if (!g->plugin || !g->loss) {
			free(g->plugin);
			free(g->loss);
			return 0;
		}
		st->nlosses++;
	}
	/* a writer reports one record's losses together: a new label is a new record */
	if (!g->records || !same_str(g->last_record, d->record_id)) {
		g->records++;
		free(g->last_record);
		g->last_record = dup_or_null(d->record_id);
	}
	return 1;
}

void cli_loss_print(cli_diags *st, const char *plugin, const char *loss, int accepted,
                    enum cw_loss_kind kind, size_t records, const char *counts)
{
	/* an accepted loss was expected: a note, shown with -v (the report has
	 * each one); nothing with -q */
	if (st->quiet > 0 || (st->quiet == 0 && accepted))
		return;
	cw_buf msg = CW_BUF_INIT;
	cw_buf_printf(&msg, "%s by %s: %s (%s%s)",
	              kind == CW_LOSS_DEGRADED ? "degraded" : "not carried", plugin, loss, counts,
	              accepted ? ", accepted" : "");
	cw_diag d = {.struct_size = sizeof d,
	             .severity = accepted ? CW_SEV_NOTE : CW_SEV_WARNING,
	             .kind = CW_DIAG_NOT_CARRIED,
	             .plugin = plugin,
	             .message = cw_buf_str(&msg),
	             .loss = loss,
	             .accepted = accepted,
	             .diag_code = accepted ? CW_DIAG_CODE_ACCEPTED_LOSS : CW_DIAG_CODE_NOT_CARRIED,
	             .loss_kind = kind};
	cli_diag_print(st, &d, records);
	cw_buf_free(&msg);
}

void cli_loss_summary(cli_diags *st)
{
	/* a conversion of crosswalk batch: the batch sums the losses up once */
	const char *child = getenv("CROSSWALK_BATCH_CHILD");
	int print = !(child && *child == '1');
	for (size_t i = 0; i < st->nlosses; i++) {
		cli_loss_group *g = &st->losses[i];
		if (print) {
			char counts[64];
			snprintf(counts, sizeof counts, "%zu record%s", g->records,
			         g->records == 1 ? "" : "s");
			cli_loss_print(st, g->plugin, g->loss, g->accepted, g->kind, g->records,
			               counts);
		}
		free(g->plugin);
		free(g->loss);
		free(g->last_record);
	}
	free(st->losses);
	st->losses = NULL;
	st->nlosses = 0;
}

int cli_report_open(cli_diags *d, const char *path)
{
	cw_ostream *o = NULL;
	/* a descriptor the caller opened (/dev/fd/N: a pipe, or a file a program
	 * that runs crosswalk reads afterwards, as batch does) is written in
	 * place, not replaced through a temporary file and fsync */
	unsigned flags = strncmp(path, "/dev/fd/", 8) == 0 ? 0 : CW_OSTREAM_ATOMIC;
	int rc = cw_ostream_open_file(&o, path, flags);
	int e = errno;
	if (rc == CW_OK)
		rc = cw_ostream_printf(o, "{\n  \"crosswalk\": \"%s\",\n  \"diagnostics\": [%s",
		                       cw_version_string(), cw_buf_str(&d->pending));
	if (rc) {
		cw_ostream_close(o);
		d->no_pending = 1;
		cw_buf_free(&d->pending);
		d->phase = CW_DIAG_CODE_OUTPUT_ERROR;
		cli_error("%s: cannot write the report: %s", path, strerror(e ? e : EIO));
		return -1;
	}
	d->report = o;
	d->count = d->npending;
	d->npending = 0;
	d->no_pending = 1;
	cw_buf_free(&d->pending);
	return 0;
}

int cli_report_finish(cli_diags *d, const char *path, const cli_run_summary *sum)
{
	cw_ostream *o = d->report;
	if (!o)
		return 0;
	/* no message about the report can go into it any more */
	d->report = NULL;
	const cli_diag_counts *c = &d->counts;
	int rc = cw_ostream_printf(
	    o,
	    "%s],\n  \"summary\": {\"records_read\": %llu, \"records_skipped\": %llu, "
	    "\"records_written\": %llu, \"errors\": %llu, \"warnings\": %llu, \"notes\": %llu, "
	    "\"not_carried\": %llu, \"accepted_losses\": %llu, \"exit_status\": %d}\n}\n",
	    d->count ? "\n  " : "", (unsigned long long)sum->records_read,
	    (unsigned long long)sum->records_skipped, (unsigned long long)sum->records_written,
	    (unsigned long long)c->errors, (unsigned long long)c->warnings,
	    (unsigned long long)c->notes, (unsigned long long)c->not_carried,
	    (unsigned long long)c->accepted_losses, sum->exit_status);
	if (rc == CW_OK)
		rc = cw_ostream_error(o);
	if (rc == CW_OK)
		rc = cw_ostream_commit(o);
	if (rc) {
		int e = cw_ostream_os_error(o);
		d->phase = CW_DIAG_CODE_OUTPUT_ERROR;
		cli_error("%s: cannot write the report: %s", path,
		          e ? strerror(e) : cw_status_str(rc));
	}
	cw_ostream_close(o);
	return rc ? -1 : 0;
}
