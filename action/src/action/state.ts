// What the main step hands to the post step (core.saveState / core.getState), in one place.
export const STATE_REGISTRY = 'registry';
export const STATE_BUILDER = 'builder';
