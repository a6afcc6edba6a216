/*
 * The text reader (plugins/text): where a reference ends (lines, paragraphs,
 * list markers), bullets, a byte order mark, positions, invalid UTF-8 and
 * the record-bytes limit.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "crosswalk/crosswalk.h"
#include "cw_test.h"

static size_t read_text(const char *in, cw_record ***recs, cwt_diags *d)
{
	return cwt_read_records("text", in, strlen(in), recs, d, NULL);
}

static const char *title(cw_record **recs, size_t i)
{
	const char *t = cw_record_text(recs[i], CW_FIELD_TITLE);
	return t ? t : "(none)";
}

Test(text, one_reference_per_line)
{
	cwt_diags d = {0};
	cw_record **recs = NULL;
	size_t n = read_text("Doe, J. (2001). First title. Press.\n"
	                     "Roe, A. (2002). Second title. Press.\n"
	                     "Poe, E. (2003). Third title. Press.\n",
	                     &recs, &d);
	cr_assert_eq(n, 3);
	cr_expect_str_eq(title(recs, 0), "First title");
	cr_expect_str_eq(title(recs, 2), "Third title");
	uint32_t line = 0, col = 0;
	cw_record_origin(recs[1], &line, &col);
	cr_expect_eq(line, 2);
	cr_expect_eq(col, 1);
	cr_expect_str_eq(cw_record_text(recs[1], CW_FIELD_ORIGINAL_CITATION),
	                 "Roe, A. (2002). Second title. Press.");
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
}

Test(text, paragraphs_when_blank_lines_separate_references)
{
	cwt_diags d = {0};
	cw_record **recs = NULL;
	size_t n = read_text("Doe, J. (2001). A title that runs\nover two lines. Press.\n\n"
	                     "Roe, A. (2002). Second\ntitle. Press.\n",
	                     &recs, &d);
	cr_assert_eq(n, 2);
	cr_expect_str_eq(title(recs, 0), "A title that runs over two lines");
	cr_expect_str_eq(title(recs, 1), "Second title");
	uint32_t line = 0;
	cw_record_origin(recs[1], &line, NULL);
	cr_expect_eq(line, 4);
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
}

Test(text, list_markers_start_references)
{
	cwt_diags d = {0};
	cw_record **recs = NULL;
	/* paragraphs (a blank line below), yet each numbered line starts a reference */
	size_t n = read_text("\xEF\xBB\xBF"
	                     "1. Doe J. First title. J Test. 2001;1:2.\n"
	                     "[2] Roe A. Second title. J Test. 2002;2:3.\n"
	                     "(3) Poe E. Third\ntitle. J Test. 2003;3:4.\n\n"
	                     "\xE2\x80\xA2 Lee K. Fourth title. J Test. 2004;4:5.\n"
	                     "- Kim S. Fifth title. J Test. 2005;5:6.\n",
	                     &recs, &d);
	cr_assert_eq(n, 5);
	cr_expect_str_eq(title(recs, 0), "First title");
	cr_expect_str_eq(cw_record_text(recs[0], CW_FIELD_CITATION_NUMBER), "1");
	cr_expect_str_eq(cw_record_text(recs[1], CW_FIELD_CITATION_NUMBER), "2");
	cr_expect_str_eq(title(recs, 2), "Third title");
	cr_expect_str_eq(cw_record_text(recs[3], CW_FIELD_ORIGINAL_CITATION),
	                 "Lee K. Fourth title. J Test. 2004;4:5.");
	cr_expect_str_eq(title(recs, 4), "Fifth title");
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
}

Test(text, invalid_utf8_is_replaced_with_a_warning)
{
	cwt_diags d = {0};
	cw_record **recs = NULL;
	size_t n = read_text("Doe, J. (2001). Bad \xff byte. Press.\n", &recs, &d);
	cr_assert_eq(n, 1);
	cr_expect(strstr(cw_record_text(recs[0], CW_FIELD_ORIGINAL_CITATION), "\xEF\xBF\xBD") != NULL);
	cr_expect_geq(cwt_diags_count(&d, CW_SEV_WARNING), 1);
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
}

Test(text, record_bytes_limit)
{
	cw_limits l = CW_LIMITS_INIT;
	cw_limit_set(&l, CW_LIMIT_RECORD_BYTES, 64);
	cwt_result r;
	const char *in = "Doe, J. (2001). Short. Press.\n"
	                 "Roe, A. (2002). A title much longer than the sixty-four bytes this run "
	                 "allows. Press.\n"
	                 "Poe, E. (2003). Short too. Press.\n";
	cwt_convert_limited(&r, "text", "csljson", in, strlen(in), NULL, NULL, NULL, &l);
	cr_expect(strstr(r.output ? r.output : "", "Short too") != NULL, "%s", r.output);
	cwt_expect_limit_error(&r.diags, "a long reference");
	cwt_result_free(&r);
}
