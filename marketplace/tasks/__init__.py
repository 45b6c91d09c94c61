"""Follow-up tasks for coordinators: opened by aftercare, waakvlam and carers' checks."""
