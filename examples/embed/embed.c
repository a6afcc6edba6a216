/*
 * Embedding libcrosswalk: reads any supported file and prints, for each
 * record, its type, year, title and authors, then converts the same file to
 * CSL-JSON on standard output. Build against an installed crosswalk:
 *
 *     cc -std=c11 embed.c $(pkg-config --cflags --libs crosswalk) -o embed
 *     ./embed article.xml
 */
#include <stdio.h>
#include <stdlib.h>

#include <crosswalk/crosswalk.h>

/* Prints each diagnostic as one line after the program's name, as the CLI does. */
static void print_diag(void *ud, const cw_diag *d)
{
	cw_buf line = CW_BUF_INIT;
	(void)ud;
	cw_buf_append(&line, "embed: ", CW_NUL);
	cw_diag_format(d, &line);
	fprintf(stderr, "%s\n", cw_buf_str(&line));
	cw_buf_free(&line);
}

static void summarise(const cw_record *rec)
{
	const cw_date *issued = cw_record_date(rec, CW_FIELD_ISSUED);
	cw_buf title = CW_BUF_INIT;
	cw_rich_to_plain(&title, cw_record_text(rec, CW_FIELD_TITLE) ? cw_record_text(rec, CW_FIELD_TITLE) : "");
	printf("%s (%d) %s\n", cw_item_type_name(cw_record_type(rec)) ? cw_item_type_name(cw_record_type(rec)) : "-",
	       issued && issued->parts ? (int)issued->year : 0, cw_buf_str(&title));
	for (size_t i = 0; i < cw_record_name_count(rec, CW_FIELD_AUTHOR); i++) {
		const cw_name *n = cw_record_name(rec, CW_FIELD_AUTHOR, i);
		printf("  author: %s%s%s\n", n->literal ? n->literal : (n->family ? n->family : ""),
		       n->given ? ", " : "", n->given ? n->given : "");
	}
	cw_buf_free(&title);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	cw_registry *reg = NULL;
	cw_context *ctx = NULL;
	cw_istream *in = NULL;
	cw_reader *rd = NULL;
	cw_buf why = CW_BUF_INIT;
	int status = 1;

	/* plugins: CROSSWALK_PLUGIN_PATH, then the install directory */
	if (cw_registry_new(&reg) || cw_context_new(&ctx))
		goto done;
	cw_registry_load_path(reg, getenv("CROSSWALK_PLUGIN_PATH"), NULL);
	cw_registry_load_dir(reg, cw_registry_install_dir(), NULL);
	cw_context_set_diag_sink(ctx, print_diag, NULL);

	/* 1. our own loop over the records */
	const cw_format *fmt;
	if (cw_istream_open_file(&in, argv[1]) ||
	    cw_registry_detect_input(&fmt, reg, in, argv[1], &why) != CW_OK) {
		fprintf(stderr, "embed: %s: %s\n", argv[1], cw_buf_str(&why));
		goto done;
	}
	int rc = cw_reader_open(&rd, ctx, fmt, in, NULL, 0);
	cw_record *rec;
	while (rc == CW_OK && (rc = cw_reader_next(rd, &rec)) != CW_EOF) {
		if (rc == CW_ERECORD) { /* reported through the sink; go on */
			rc = CW_OK;
			continue;
		}
		if (rc == CW_OK) {
			summarise(rec);
			cw_record_free(rec);
		}
	}
	cw_reader_close(rd);
	cw_istream_close(in);
	in = NULL;
	if (rc != CW_EOF)
		goto done;

	/* 2. the same file through a pipeline, to CSL-JSON on stdout */
	cw_pipeline *p = NULL;
	cw_ostream *out = NULL;
	const cw_format *csl = cw_registry_find_format(reg, "csljson");
	if (!csl || cw_istream_open_file(&in, argv[1]) || cw_ostream_open_file(&out, "-", 0) ||
	    cw_pipeline_new(&p, ctx)) {
		cw_ostream_close(out);
		goto done;
	}
	rc = cw_pipeline_set_reader(p, fmt, in, NULL, 0);
	if (rc == CW_OK)
		rc = cw_pipeline_add_writer(p, csl, out, NULL, 0);
	if (rc == CW_OK)
		rc = cw_pipeline_run(p, NULL);
	if (rc == CW_OK)
		rc = cw_ostream_commit(out);
	cw_pipeline_free(p);
	cw_ostream_close(out);
	status = rc == CW_OK ? 0 : 1;
done:
	cw_istream_close(in);
	cw_buf_free(&why);
	cw_context_free(ctx);
	cw_registry_free(reg);
	return status;
}
