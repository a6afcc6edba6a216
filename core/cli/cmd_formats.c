/*
 * crosswalk formats: every plugin found, its version and origin, and what
 * each of its formats and filters can do.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void list(const char *label, const char *const *items, const char *prefix)
{
	if (!items || !*items)
		return;
	printf("      %-11s", label);
	for (; *items; items++)
		printf(" %s%s", prefix, *items);
	printf("\n");
}

static void options(const char *label, const cw_option_spec *spec)
{
	for (; spec && spec->name; spec++) {
		printf("      %-11s --%s", label, spec->name);
		if (spec->type == CW_OPT_ENUM)
			printf("=%s", spec->choices ? spec->choices : "");
		else if (spec->type == CW_OPT_INT)
			printf("=N");
		else if (spec->type == CW_OPT_STRING)
			printf("=TEXT");
		if (spec->default_value)
			printf(" (default %s)", spec->default_value);
		printf("\n      %-11s     %s\n", "", spec->help ? spec->help : "");
		label = "";
	}
}

/* --- formats --json: the schema is in docs/user-guide.md, "Machine-readable lists" --- */

static void json_str(cw_buf *b, const char *s)
{
	if (s)
		cw_buf_append_json(b, s, CW_NUL);
	else
		cw_buf_append(b, "null", 4);
}

static void json_list(cw_buf *b, const char *key, const char *const *items)
{
	cw_buf_printf(b, ", \"%s\": [", key);
	for (size_t i = 0; items && items[i]; i++) {
		if (i)
			cw_buf_append(b, ", ", 2);
		json_str(b, items[i]);
	}
	cw_buf_putc(b, ']');
}

static const char *const option_types[] = {"bool", "string", "int", "enum"};

static void json_options(cw_buf *b, const char *key, const cw_option_spec *spec, const char *ind)
{
	cw_buf_printf(b, ",\n%s\"%s\": [", ind, key);
	for (size_t i = 0; spec && spec[i].name; i++) {
		const cw_option_spec *o = &spec[i];
		cw_buf_printf(b, "%s\n%s  {\"name\": ", i ? "," : "", ind);
		json_str(b, o->name);
		cw_buf_printf(b, ", \"type\": \"%s\", \"default\": ",
		              (unsigned)o->type < 4 ? option_types[o->type] : "unknown");
		json_str(b, o->default_value);
		cw_buf_append(b, ", \"choices\": ", CW_NUL);
		if (o->type == CW_OPT_ENUM && o->choices) {
			cw_buf_putc(b, '[');
			for (const char *c = o->choices; *c;) {
				size_t n = strcspn(c, "|");
				if (c != o->choices)
					cw_buf_append(b, ", ", 2);
				cw_buf_append_json(b, c, n);
				c += n + (c[n] == '|');
			}
			cw_buf_putc(b, ']');
		} else {
			cw_buf_append(b, "null", 4);
		}
		cw_buf_append(b, ", \"description\": ", CW_NUL);
		json_str(b, o->help);
		cw_buf_putc(b, '}');
	}
	if (spec && spec->name)
		cw_buf_printf(b, "\n%s", ind);
	cw_buf_putc(b, ']');
}

/* "shadowed_by": null, or the plugin (and its file) whose entry of the name wins. */
static void shadowed_by(cw_buf *b, const cw_registry *reg, const void *winner, const void *self)
{
	cw_buf_append(b, "\"shadowed_by\": ", CW_NUL);
	const cw_plugin *by = winner && winner != self ? cw_registry_owner(reg, winner) : NULL;
	if (!by) {
		cw_buf_append(b, "null", 4);
		return;
	}
	const char *origin = NULL;
	for (size_t i = 0; i < cw_registry_plugin_count(reg); i++)
		if (cw_registry_plugin(reg, i, &origin) == by)
			break;
	cw_buf_append(b, "{\"plugin\": ", CW_NUL);
	json_str(b, by->name);
	cw_buf_append(b, ", \"file\": ", CW_NUL);
	json_str(b, origin);
	cw_buf_putc(b, '}');
}

static void abi(cw_buf *b, uint32_t v)
{
	cw_buf_printf(b, "\"%u.%u\"", (unsigned)(v >> 16), (unsigned)(v & 0xFFFF));
}

/* Every plugin, format and filter, as one JSON document on stdout. */
static void print_json(const cw_registry *reg)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_printf(&b, "{\n  \"crosswalk\": ");
	json_str(&b, cw_version_string());
	cw_buf_append(&b, ",\n  \"abi\": ", CW_NUL);
	abi(&b, cw_abi_version());
	cw_buf_append(&b, ",\n  \"plugin_dir\": ", CW_NUL);
	json_str(&b, cw_registry_install_dir());
	cw_buf_append(&b, ",\n  \"plugins\": [", CW_NUL);
	size_t n = cw_registry_plugin_count(reg);
	for (size_t i = 0; i < n; i++) {
		const char *origin;
		const cw_plugin *p = cw_registry_plugin(reg, i, &origin);
		cw_buf_printf(&b, "%s\n    {\"name\": ", i ? "," : "");
		json_str(&b, p->name);
		cw_buf_append(&b, ", \"version\": ", CW_NUL);
		json_str(&b, p->version);
		cw_buf_append(&b, ", \"file\": ", CW_NUL);
		json_str(&b, origin);
		cw_buf_append(&b, ", \"abi\": ", CW_NUL);
		abi(&b, p->abi_version);
		cw_buf_append(&b, ",\n     \"description\": ", CW_NUL);
		json_str(&b, p->description);
		cw_buf_append(&b, ", \"license\": ", CW_NUL);
		json_str(&b, p->license);
		cw_buf_append(&b, ",\n     \"formats\": [", CW_NUL);
		size_t k = 0;
		for (const cw_format *const *f = p->formats; f && *f; f++, k++) {
			const cw_format *fmt = *f;
			cw_buf_printf(&b, "%s\n      {\"name\": ", k ? "," : "");
			json_str(&b, fmt->name);
			cw_buf_append(&b, ", \"description\": ", CW_NUL);
			json_str(&b, fmt->description);
			cw_buf_printf(&b, ", \"read\": %s, \"write\": %s",
			              (fmt->caps & CW_CAN_READ) ? "true" : "false",
			              (fmt->caps & CW_CAN_WRITE) ? "true" : "false");
			json_list(&b, "extensions", fmt->extensions);
			json_list(&b, "aliases", fmt->aliases);
			json_list(&b, "mime_types", fmt->mime_types);
			cw_buf_append(&b, ",\n       ", CW_NUL);
			const cw_format *winner = cw_registry_find_format(reg, fmt->name);
			shadowed_by(&b, reg, cw_registry_is_shadowed(reg, fmt) ? winner : NULL,
			            fmt);
			json_options(&b, "reader_options",
			             (fmt->caps & CW_CAN_READ) ? fmt->reader_options : NULL,
			             "       ");
			json_options(&b, "writer_options",
			             (fmt->caps & CW_CAN_WRITE) ? fmt->writer_options : NULL,
			             "       ");
			cw_buf_putc(&b, '}');
		}
		cw_buf_printf(&b, "%s],\n     \"filters\": [", k ? "\n     " : "");
		k = 0;
		for (const cw_filter *const *f = p->filters; f && *f; f++, k++) {
			const cw_filter *flt = *f;
			cw_buf_printf(&b, "%s\n      {\"name\": ", k ? "," : "");
			json_str(&b, flt->name);
			cw_buf_append(&b, ", \"description\": ", CW_NUL);
			json_str(&b, flt->description);
			cw_buf_append(&b, ", ", 2);
			shadowed_by(&b, reg, cw_registry_find_filter(reg, flt->name), flt);
			json_options(&b, "options", flt->options, "       ");
			cw_buf_putc(&b, '}');
		}
		cw_buf_printf(&b, "%s]}", k ? "\n     " : "");
	}
	cw_buf_printf(&b, "%s]\n}\n", n ? "\n  " : "");
	fwrite(b.data, 1, b.len, stdout);
	cw_buf_free(&b);
}

/* What --names=KIND lists: one name a line, each once, shadowed ones left out. */
static const struct names_kind {
	const char *name;
	unsigned caps; /* formats with any of these; 0: filters */
} names_kinds[] = {
    {"formats", CW_CAN_READ | CW_CAN_WRITE},
    {"readers", CW_CAN_READ},
    {"writers", CW_CAN_WRITE},
    {"filters", 0},
    {NULL, 0},
};

static void print_names(const cw_registry *reg, const struct names_kind *kind)
{
	for (size_t i = 0; i < cw_registry_plugin_count(reg); i++) {
		const cw_plugin *p = cw_registry_plugin(reg, i, NULL);
		if (!kind->caps) {
			for (const cw_filter *const *f = p->filters; f && *f; f++)
				if (cw_registry_find_filter(reg, (*f)->name) == *f)
					printf("%s\n", (*f)->name);
			continue;
		}
		for (const cw_format *const *f = p->formats; f && *f; f++)
			if (((*f)->caps & kind->caps) && !cw_registry_is_shadowed(reg, *f))
				printf("%s\n", (*f)->name);
	}
}

typedef struct formats_args {
	int as_json;
	const struct names_kind *names; /* --names=KIND, or NULL */
} formats_args;

static int set_names(void *self, const char *value, cli_parse *p)
{
	(void)p;
	formats_args *a = self;
	const char *want = value ? value : "formats";
	for (a->names = names_kinds; a->names->name && strcmp(a->names->name, want); a->names++)
		;
	if (!a->names->name) {
		cli_error("--names takes formats, readers, writers or filters, not '%s'", want);
		return -1;
	}
	return 0;
}

static const cli_opt formats_opts[] = {
    CLI_GLOBAL('v', "verbose", NULL,
               "also MIME types and every reader, writer and filter\n"
               "option with its default"),
    CLI_FLAG(0, "json", formats_args, as_json,
             "everything -v shows, as one JSON document (its\n"
             "fields are in the user guide)"),
    {"names", 0, "KIND", CLI_OPT_OPTIONAL, CLI_OPT_CALL, 0, set_names,
     "only names, one a line: formats (the default),\n"
     "readers, writers or filters"},
    CLI_END,
};

const cli_command_spec cli_formats_spec = {
    .name = "formats",
    .opts = formats_opts,
    .usage = "usage: crosswalk formats [-v | --json | --names[=KIND]]\n\n"
             "Lists every plugin found, its version and file, and the formats it\n"
             "reads and writes with their extensions; -v adds their options.\n\n",
    .column = 20,
    .align = 1,
};

int cli_formats(int argc, char **argv, cli_common *common)
{
	formats_args a = {0};
	int pr = cli_parse_args(&cli_formats_spec, argc, argv, &a, common);
	if (pr)
		return pr > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	int as_json = a.as_json;
	const struct names_kind *names = a.names;
	if (as_json && names) {
		cli_error("--json and --names cannot be combined");
		return CLI_EXIT_USAGE;
	}
	cw_registry *reg = NULL;
	int status = cli_open_registry(&reg, common);
	if (status != CLI_EXIT_OK)
		return status;
	if (as_json || names) {
		if (as_json)
			print_json(reg);
		else
			print_names(reg, names);
		cw_registry_free(reg);
		return CLI_EXIT_OK;
	}
	size_t n = cw_registry_plugin_count(reg);
	if (n == 0)
		printf("no plugins found (searched $CROSSWALK_PLUGIN_PATH and %s)\n",
		       cw_registry_install_dir());
	for (size_t i = 0; i < n; i++) {
		const char *origin;
		const cw_plugin *p = cw_registry_plugin(reg, i, &origin);
		printf("%s %s  %s\n", p->name, p->version ? p->version : "", origin);
		if (p->description)
			printf("  %s\n", p->description);
		for (const cw_format *const *f = p->formats; f && *f; f++) {
			const cw_format *fmt = *f;
			printf("    %-12s %-5s %-5s %s%s\n", fmt->name,
			       (fmt->caps & CW_CAN_READ) ? "read" : "",
			       (fmt->caps & CW_CAN_WRITE) ? "write" : "",
			       fmt->description ? fmt->description : "",
			       cw_registry_is_shadowed(reg, fmt) ? " [shadowed by an earlier plugin]" : "");
			list("extensions", fmt->extensions, ".");
			list("aliases", fmt->aliases, "");
			if (common->verbose) {
				list("mime types", fmt->mime_types, "");
				if (fmt->caps & CW_CAN_READ)
					options("reads:", fmt->reader_options);
				if (fmt->caps & CW_CAN_WRITE)
					options("writes:", fmt->writer_options);
			}
		}
		for (const cw_filter *const *f = p->filters; f && *f; f++) {
			printf("    %-12s %-11s %s\n", (*f)->name, "filter",
			       (*f)->description ? (*f)->description : "");
			if (common->verbose)
				options("options:", (*f)->options);
		}
	}
	cw_registry_free(reg);
	return CLI_EXIT_OK;
}
