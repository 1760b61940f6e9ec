/**
 * Projections: one named, per-tenant processing group per read model, each owning a sub-package
 * ({@code patient}, {@code encounter.census}, ...) with its handler and SQL. The read models are built in
 * the next milestone (issue 3); this module holds their place in the build.
 */
package org.clinical.projections;
