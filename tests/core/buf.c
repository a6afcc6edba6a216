/*
 * cw_buf's sticky error: after a failed append the buffer keeps what it
 * had, refuses everything after, and says so once (cw_buf_error).
 * A reserve of SIZE_MAX bytes is a failure every build can make happen.
 */
#include <stdint.h>
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
