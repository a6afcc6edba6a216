/*
 * Helpers for crosswalk's Criterion tests: corpus location, files, running
 * conversions in memory through the real plugins, capturing diagnostics,
 * and running external validators.
 */
#ifndef CW_TEST_H
#define CW_TEST_H

#include <criterion/criterion.h>

#include "crosswalk/crosswalk.h"

/* The shared corpus directory, or NULL when it is absent. */
const char *cwt_corpus_dir(void);
/*
 * Fails the running case unless its suite is named *_corpus: cases that read
 * the corpus run apart from the others (tests/CMakeLists.txt, cw_add_test's
 * CORPUS), so that a missing corpus skips only them.
 */
void cwt_require_corpus_suite(void);
/* The corpus path of a subdirectory, or a skipped test when the corpus is absent. */
#define CWT_CORPUS(sub, buf)                                                                  \
	do {                                                                                  \
		cwt_require_corpus_suite();                                                   \
		const char *root_ = cwt_corpus_dir();                                         \
		if (!root_)                                                                   \
			cr_skip_test("skipped: corpus not found (set CW_CORPUS_DIR or place " \
			             "../shared/corpus beside the checkout)");                \
		snprintf((buf), sizeof(buf), "%s/%s", root_, (sub));                          \
	} while (0)

/* The source tree and build tree (from the test environment). */
const char *cwt_source_dir(void);
const char *cwt_build_dir(void);

/* Reads a whole file; NULL if unreadable. Free with free(). */
char *cwt_read_file(const char *path, size_t *len);
/* Writes a file; 0 on success. */
int cwt_write_file(const char *path, const char *data, size_t len);

/*
 * Sorted paths of the regular files under dir (recursively) whose names end
 * with suffix. Free with cwt_free_list.
 */
char **cwt_list_files(const char *dir, const char *suffix, size_t *count);
void cwt_free_list(char **list, size_t count);

/* A registry with the plugins of this build (CROSSWALK_PLUGIN_PATH); shared, never freed. */
cw_registry *cwt_registry(void);

/* Diagnostics captured during a conversion. */
typedef struct cwt_diag {
	enum cw_severity severity;
	enum cw_diag_kind kind;
	int code;
	uint32_t line, column;
	enum cw_field field;
	char *record;
	char *message;
	char *loss; /* cw_diag.loss, or NULL */
	int accepted;
	enum cw_diag_code diag_code; /* cw_diag_code_of */
	int limit;                   /* cw_diag.limit: enum cw_limit, or 0 */
} cwt_diag;

typedef struct cwt_diags {
	cwt_diag *items;
	size_t n;
	cw_buf text; /* every diagnostic formatted, one per line */
} cwt_diags;

void cwt_diags_free(cwt_diags *d);
/* Number of diagnostics at or above a severity. */
size_t cwt_diags_count(const cwt_diags *d, enum cw_severity min);
/*
 * Expects that the first error of d is about a limit (cw_diag.limit) whose
 * key its message names ("the record-bytes limit"); what says which case.
 */
void cwt_expect_limit_error(const cwt_diags *d, const char *what);
/* A context whose sink appends to d (NULL: diagnostics only counted). Free with cw_context_free. */
cw_context *cwt_context(cwt_diags *d);

/* Conversion result. */
typedef struct cwt_result {
	int status;          /* cw_pipeline_run's status (or the setup error) */
	cw_pipeline_stats stats;
	char *output;        /* what the writer wrote; free() */
	size_t output_len;
	cwt_diags diags;
} cwt_result;

/*
 * Converts input (len bytes) from format `from` to format `to` in memory.
 * ropts/wopts: NULL-terminated "name=value" strings (may be NULL); filters:
 * NULL-terminated filter names (may be NULL).
 */
void cwt_convert(cwt_result *r, const char *from, const char *to, const char *input, size_t len,
                 const char *const *ropts, const char *const *wopts, const char *const *filters);
/* The same under limits l (NULL: the defaults). */
void cwt_convert_limited(cwt_result *r, const char *from, const char *to, const char *input,
                         size_t len, const char *const *ropts, const char *const *wopts,
                         const char *const *filters, const cw_limits *l);
void cwt_result_free(cwt_result *r);

/* Reads every record of input with format `from`; returns the count, records in *out. */
size_t cwt_read_records(const char *from, const char *input, size_t len, cw_record ***out,
                        cwt_diags *diags, const char *const *ropts);
/*
 * Reads every record of in (closed here) with format `from` under limits l
 * (NULL: the defaults) and reader options ro; the records in *out, their
 * number in *count. Returns the reader's last answer (CW_EOF when it read
 * to the end).
 */
int cwt_read_stream(const char *from, cw_istream *in, const cw_limits *l, const cw_option *ro,
                    size_t nr, cw_record ***out, size_t *count, cwt_diags *diags);
void cwt_free_records(cw_record **recs, size_t n);
/* Writes records with format `to` into a malloc'd string; NULL if the writer failed. */
char *cwt_write_records(const char *to, cw_record *const *recs, size_t n, cwt_diags *diags,
                        const char *const *wopts);

/*
 * Runs a shell command; captures stdout+stderr into out (may be NULL).
 * Returns the exit status, or -1 if it could not run.
 */
int cwt_run(const char *cmd, cw_buf *out);
/* Fails the test (not skips) when a required external tool is missing. */
void cwt_require_tool(const char *name);
/*
 * Validates xml (len bytes) with xmllint against schema, a path under the
 * corpus: an XSD when it ends in ".xsd", else a DTD. Returns xmllint's
 * status (0: valid), its messages appended to log (may be NULL). Only for a
 * *_corpus case: skips without the corpus.
 */
int cwt_corpus_validate(const char *schema, const char *xml, size_t len, cw_buf *log);
/* A fresh temporary directory for this test; removed by the OS later. */
const char *cwt_tmpdir(void);

#endif
