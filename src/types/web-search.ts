// The `web_search_options` of a request, for the search models.

/** How much context window to use for web search. */
export type WebSearchContextSize = 'low' | 'medium' | 'high';

/** Approximate location of the user, for web search. */
export interface WebSearchLocation {
  /** Two-letter ISO country code of the user, e.g. `US`. */
  country?: string;
  /** Free text region of the user, e.g. `California`. */
  region?: string;
  /** Free text city of the user, e.g. `San Francisco`. */
  city?: string;
  /** IANA timezone of the user, e.g. `America/Los_Angeles`. */
  timezone?: string;
}

/** Approximate location parameters for the search. */
export interface ChatCompletionWebSearchUserLocation {
  /** The type of location approximation. Always `approximate`. */
  type: 'approximate';
  /** The location. */
  approximate: WebSearchLocation;
}

/** Web search settings: the model searches the web for relevant results. */
export interface ChatCompletionWebSearchOptions {
  /** The user's approximate location. */
  user_location?: ChatCompletionWebSearchUserLocation | null;
  /** How much context window to use for the search. Default `medium`. */
  search_context_size?: WebSearchContextSize;
}
