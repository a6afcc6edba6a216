/*
 * cw_buf's sticky error: after a failed append the buffer keeps what it
 * had, refuses everything after, and says so once (cw_buf_error).
 * A reserve of SIZE_MAX bytes is a failure every build can make happen.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cw_test.h"

Test(buf, a_failure_is_sticky_and_keeps_the_bytes_before_it)
{
	cw_buf b = CW_BUF_INIT;
	cr_assert_eq(cw_buf_error(&b), CW_OK);
	cr_assert_eq(cw_buf_append(&b, "<a>", CW_NUL), CW_OK);
	cr_assert_eq(cw_buf_reserve(&b, SIZE_MAX), CW_ENOMEM);
	cr_expect_eq(cw_buf_error(&b), CW_ENOMEM);
	/* nothing after the failure gets in, through any entry point */
	cr_expect_eq(cw_buf_append(&b, "x", 1), CW_ENOMEM);
	cr_expect_eq(cw_buf_putc(&b, 'x'), CW_ENOMEM);
	cr_expect_eq(cw_buf_printf(&b, "%d", 1), CW_ENOMEM);
	cr_expect_eq(cw_buf_append_json(&b, "x", 1), CW_ENOMEM);
	cr_expect_eq(cw_buf_append_escaped(&b, "x", 1), CW_ENOMEM);
	cr_expect_eq(cw_buf_append_utf8(&b, "x", 1), CW_ENOMEM);
	cr_expect_eq(cw_buf_put_utf8(&b, 0xE9), CW_ENOMEM);
	cr_expect_eq(cw_buf_reserve(&b, 1), CW_ENOMEM);
	cr_expect_eq(cw_buf_error(&b), CW_ENOMEM);
	cr_expect_eq(b.len, 3);
	cr_expect_str_eq(cw_buf_str(&b), "<a>");
	/* a caller that cuts the buffer back stays in its bytes */
	b.len = 1;
	b.data[1] = '\0';
	cr_expect_eq(cw_buf_error(&b), CW_ENOMEM);
	/* clear starts again */
	cw_buf_clear(&b);
	cr_expect_eq(cw_buf_error(&b), CW_OK);
	cr_expect_eq(cw_buf_append(&b, "ok", 2), CW_OK);
	cr_expect_str_eq(cw_buf_str(&b), "ok");
	cw_buf_free(&b);
}

Test(buf, a_buffer_that_failed_before_holding_anything)
{
	cw_buf b = CW_BUF_INIT;
	cr_assert_eq(cw_buf_reserve(&b, SIZE_MAX), CW_ENOMEM);
	cr_expect_eq(cw_buf_error(&b), CW_ENOMEM);
	cr_expect_str_eq(cw_buf_str(&b), "");
	cr_expect_eq(b.len, 0);
	cr_expect_eq(cw_buf_append(&b, "x", 1), CW_ENOMEM);
	/* the pattern "if (b.data) b.data[len0] = 0" with len0 == 0 is safe */
	cr_assert_not_null(b.data);
	b.data[0] = '\0';
	cw_buf_free(&b);
	cr_expect_null(b.data);
	cr_expect_eq(cw_buf_error(&b), CW_OK);
	/* and free after clear, twice */
	cr_assert_eq(cw_buf_reserve(&b, SIZE_MAX), CW_ENOMEM);
	cw_buf_clear(&b);
	cr_expect_eq(cw_buf_error(&b), CW_OK);
	cw_buf_free(&b);
	cw_buf_free(&b);
}

Test(buf, append_buf_carries_a_part_s_failure_into_the_whole)
{
	cw_buf whole = CW_BUF_INIT, part = CW_BUF_INIT;
	cr_assert_eq(cw_buf_append(&part, " id=\"x\"", CW_NUL), CW_OK);
	cr_assert_eq(cw_buf_append(&whole, "<a", CW_NUL), CW_OK);
	cr_expect_eq(cw_buf_append_buf(&whole, &part), CW_OK);
	cr_expect_str_eq(cw_buf_str(&whole), "<a id=\"x\"");
	cr_assert_eq(cw_buf_reserve(&part, SIZE_MAX), CW_ENOMEM);
	cr_expect_eq(cw_buf_append_buf(&whole, &part), CW_ENOMEM);
	cr_expect_eq(cw_buf_error(&whole), CW_ENOMEM);
	cr_expect_str_eq(cw_buf_str(&whole), "<a id=\"x\"");
	/* an empty part that never allocated is no failure */
	cw_buf empty = CW_BUF_INIT, other = CW_BUF_INIT;
	cr_expect_eq(cw_buf_append_buf(&other, &empty), CW_OK);
	cr_expect_eq(cw_buf_error(&other), CW_OK);
	cr_expect_eq(cw_buf_error(NULL), CW_EINVAL);
	cr_expect_eq(cw_buf_append_buf(NULL, &part), CW_EINVAL);
	cw_buf_free(&whole);
	cw_buf_free(&part);
	cw_buf_free(&other);
}

/* --- cw_buf_append_xml --- */

/* What one ASCII byte becomes in each mode: NULL = itself, "" = dropped. */
static const char *xml_expected(unsigned c, int attr)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '\r':
		return "&#13;";
	case '"':
		return attr ? "&quot;" : NULL;
	case '\t':
		return attr ? "&#9;" : NULL;
	case '\n':
		return attr ? "&#10;" : NULL;
	}
	return c < 0x20 ? "" : NULL;
}

Test(xml, every_ascii_character_in_both_modes)
{
	for (int attr = 0; attr <= 1; attr++) {
		for (unsigned c = 1; c < 0x80; c++) {
			/* between letters, so that a run before and after is copied too */
			char in[4] = {'a', (char)c, 'b', '\0'};
			const char *rep = xml_expected(c, attr);
			char want[16];
			snprintf(want, sizeof want, "a%sb", rep ? rep : (char[]){(char)c, '\0'});
			cw_buf b = CW_BUF_INIT;
			int rc = cw_buf_append_xml(&b, in, 3, attr ? CW_XML_ATTR : CW_XML_TEXT);
			cr_expect_str_eq(cw_buf_str(&b), want, "0x%02X in %s mode", c,
			                 attr ? "attribute" : "text");
			cr_expect_eq(rc, rep && !*rep ? CW_REPLACED : CW_OK, "0x%02X: status %d", c,
			             rc);
			cw_buf_free(&b);
		}
	}
}

Test(xml, a_nul_byte_inside_the_length_is_dropped)
{
	cw_buf b = CW_BUF_INIT;
	cr_expect_eq(cw_buf_append_xml(&b, "a\0b", 3, CW_XML_TEXT), CW_REPLACED);
	cr_expect_eq(b.len, 2);
	cr_expect_str_eq(cw_buf_str(&b), "ab");
	cw_buf_free(&b);
}

Test(xml, what_xml_cannot_hold_becomes_the_replacement_character)
{
	static const struct {
		const char *in, *out;
		int rc;
	} cases[] = {
	    {"caf\xC3\xA9", "caf\xC3\xA9", CW_OK},                   /* é */
	    {"\xE2\x80\x93\xF0\x9F\x98\x80", "\xE2\x80\x93\xF0\x9F\x98\x80", CW_OK}, /* – 😀 */
	    {"\xC2\x85\x7F", "\xC2\x85\x7F", CW_OK}, /* NEL and DEL: allowed in XML 1.0 */
	    {"\xEF\xBF\xBD", "\xEF\xBF\xBD", CW_OK}, /* U+FFFD itself */
	    {"a\xEF\xBF\xBE", "a\xEF\xBF\xBD", CW_REPLACED}, /* U+FFFE */
	    {"\xEF\xBF\xBFz", "\xEF\xBF\xBDz", CW_REPLACED}, /* U+FFFF */
	    {"x\xFFy", "x\xEF\xBF\xBDy", CW_REPLACED},       /* not UTF-8 */
	    {"\xC3", "\xEF\xBF\xBD", CW_REPLACED},           /* cut sequence */
	    {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", CW_REPLACED}, /* surrogate */
	    {"\x01<\x02", "&lt;", CW_REPLACED},
	};
	for (int attr = 0; attr <= 1; attr++)
		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			cw_buf b = CW_BUF_INIT;
			int rc = cw_buf_append_xml(&b, cases[i].in, CW_NUL,
			                           attr ? CW_XML_ATTR : CW_XML_TEXT);
			cr_expect_str_eq(cw_buf_str(&b), cases[i].out, "case %zu", i);
			cr_expect_eq(rc, cases[i].rc, "case %zu: status %d", i, rc);
			cw_buf_free(&b);
		}
}

Test(xml, appends_and_fails_like_any_append)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, "<a t=\"", CW_NUL);
	cr_expect_eq(cw_buf_append_xml(&b, "1 < 2 & \"3\"\n", CW_NUL, CW_XML_ATTR), CW_OK);
	cr_expect_str_eq(cw_buf_str(&b), "<a t=\"1 &lt; 2 &amp; &quot;3&quot;&#10;");
	cr_expect_eq(cw_buf_append_xml(&b, NULL, CW_NUL, CW_XML_TEXT), CW_OK);
	cr_assert_eq(cw_buf_reserve(&b, SIZE_MAX), CW_ENOMEM);
	cr_expect_eq(cw_buf_append_xml(&b, "x", 1, CW_XML_TEXT), CW_ENOMEM);
	cr_expect_eq(cw_buf_append_xml(&b, "&", 1, CW_XML_TEXT), CW_ENOMEM);
	cw_buf_free(&b);
}
