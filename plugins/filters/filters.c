/*
 * The filters plugin descriptor: filters that work on any format's records,
 * so that they are there whichever format plugins are loaded. It uses only
 * the public headers, as an out-of-tree filter plugin would.
 */
#include <crosswalk/crosswalk.h>

#include "filters.h"

static const cw_filter *const filters_list[] = {&filters_references, &filters_parse_citations,
                                                      NULL};

static const cw_plugin filters_plugin = {
    CW_PLUGIN_HEADER,
    .name = "filters",
    .version = "1.0.0",
    .description = "filters for the records of any format: references, parse-citations",
    .license = "MIT",
    .formats = NULL,
    .filters = filters_list,
};

CW_PLUGIN_DEFINE(filters, filters_plugin)
