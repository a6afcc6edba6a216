/*
 * crosswalk/crosswalk.h - the umbrella header for embedders and plugins.
 */
#ifndef CROSSWALK_CROSSWALK_H
#define CROSSWALK_CROSSWALK_H

#include "citation.h"
#include "common.h"
#include "diag.h"
#include "fields.h"
#include "io.h"
#include "map.h"
#include "pipeline.h"
#include "plugin.h"
#include "record.h"
#include "registry.h"
#include "richtext.h"
#include "session.h"
#include "table.h"
#include "values.h"
#include "crosswalk/version.h" /* generated into the build tree */

#endif
