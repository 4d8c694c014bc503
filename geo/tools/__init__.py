"""Operations on event and zone frames: filtering and timeline windows."""
