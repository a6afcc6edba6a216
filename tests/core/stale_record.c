/*
 * A stale pointer to a freed record must be caught. The library keeps no
 * freed record to hand out again, so such a pointer points at freed memory,
 * where AddressSanitizer (CW_SANITIZE builds) and valgrind (other builds)
 * report the use, instead of into the next record, where a write used to
 * land silently. ctest expects the tool's use-after-free report.
 */
#include <stdio.h>

#include "crosswalk/crosswalk.h"

int main(void)
{
	cw_record *stale, *next;
	if (cw_record_new(&stale))
		return 2;
	cw_record_free(stale);
	if (cw_record_new(&next))
		return 2;
	int rc = cw_record_set_text(stale, CW_FIELD_TITLE, "stale", CW_NUL);
	const char *title = cw_record_text(next, CW_FIELD_TITLE);
	printf("set on the freed record: %s; the next record's title: %s\n", cw_status_str(rc),
	       title ? title : "(unset)");
	int landed = title != NULL;
	cw_record_free(next);
	return landed;
}
