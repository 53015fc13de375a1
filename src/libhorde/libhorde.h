/* libhorde.h: the one header of libhorde
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#define LIBHORDE_INSIDE

#include "horde-version.h"
#include "horde-version-macros.h"
#include "horde-enums.h"
#include "horde-alchemy-job.h"
#include "horde-alchemy-result.h"
#include "horde-client.h"
#include "horde-client-calls.h"
#include "horde-client-worker.h"
#include "horde-error.h"
#include "horde-file-name.h"
#include "horde-generated-image.h"
#include "horde-image-job.h"
#include "horde-image-model-record.h"
#include "horde-job.h"
#include "horde-job-state.h"
#include "horde-json.h"
#include "horde-known-values.h"
#include "horde-model-info.h"
#include "horde-model-reference.h"
#include "horde-operation.h"
#include "horde-service.h"
#include "horde-text-job.h"
#include "horde-text-model-record.h"
#include "horde-models.h"
#include "horde-requests.h"

#undef LIBHORDE_INSIDE
