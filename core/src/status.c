/*
 * Status strings, version queries and cw_free.
 */
#include <stdlib.h>

#include "internal.h"

static const struct {
	int code;
	const char *text;
} status_names[] = {
	{CW_OK, "success"},
	{CW_EOF, "end of input"},
	{CW_DROP, "record dropped"},
	{CW_REPLACED, "text repaired"},
	{CW_ERECORD, "record skipped"},
	{CW_EFORMAT, "invalid input"},
	{CW_ELIMIT, "safety limit exceeded"},
	{CW_EIO, "input/output error"},
	{CW_ENOMEM, "out of memory"},
	{CW_EINVAL, "invalid argument or state"},
	{CW_ENOTFOUND, "not found"},
	{CW_EABI, "plugin ABI mismatch"},
	{CW_EUNSUPPORTED, "not supported"},
	{CW_ESTRICT, "stopped by strict mode"},
	{CW_EAMBIGUOUS, "ambiguous"},
	{CW_EUSER, "aborted by callback"},
};

const char *cw_status_str(int status)
{
	for (size_t i = 0; i < sizeof status_names / sizeof status_names[0]; i++)
		if (status_names[i].code == status)
			return status_names[i].text;
	return "unknown status";
}

void cw_free(void *p)
{
	free(p);
}

const char *cw_version_string(void)
{
	return CW_VERSION_STRING;
}

uint32_t cw_abi_version(void)
{
	return CW_ABI_VERSION;
}
