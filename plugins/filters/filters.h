/*
 * The filters plugin: filters that belong to no format.
 */
#ifndef CW_FILTERS_H
#define CW_FILTERS_H

#include <crosswalk/plugin.h>

extern const cw_filter filters_references;
extern const cw_filter filters_parse_citations;

#endif
